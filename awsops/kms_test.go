package awsops_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// DescribeKMSKey, against the simulator: a key of the Region found
// enabled by alias, ARN and id; a key id of another Region, and one of no
// Region, not found (not an error).
func TestSimDescribeKMSKey(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	ctx := context.Background()
	arn, ok := srv.KMSKeyArn("us-west-2", "alias/backup")
	if !ok {
		t.Fatal("no alias/backup in the seeded us-west-2")
	}
	id := arn[strings.LastIndex(arn, "/")+1:]
	for _, key := range []string{"alias/backup", arn, id} {
		k, err := c.DescribeKMSKey(ctx, "us-west-2", key)
		if err != nil || !k.Found || k.State != model.KeyEnabled || k.Arn != arn {
			t.Errorf("%s in us-west-2: %+v, %v", key, k, err)
		}
	}
	for _, tc := range []struct{ region, key string }{
		{"us-east-1", id},
		{"us-west-2", "1234abcd-12ab-34cd-56ef-1234567890ab"},
		{"us-west-2", "alias/no-such-alias"},
	} {
		k, err := c.DescribeKMSKey(ctx, tc.region, tc.key)
		if err != nil || k.Found {
			t.Errorf("%s in %s: %+v, %v; want not found", tc.key, tc.region, k, err)
		}
	}
}

// Against moto, whose KMS keeps a key's state: a disabled key and one
// pending deletion are found with their states (the simulator's keys are
// all enabled).
func TestMotoDescribeKMSKeyStates(t *testing.T) {
	c := motoClient(t, "eu-central-1")
	ctx := context.Background()
	k := c.KMS("eu-central-1")
	newKey := func() string {
		t.Helper()
		out, err := k.CreateKey(ctx, &kms.CreateKeyInput{})
		if err != nil {
			t.Fatalf("create key: %v", err)
		}
		return aws.ToString(out.KeyMetadata.KeyId)
	}
	enabled, disabled, deleting := newKey(), newKey(), newKey()
	if _, err := k.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(disabled)}); err != nil {
		t.Fatalf("disable key: %v", err)
	}
	if _, err := k.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(deleting), PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatalf("schedule key deletion: %v", err)
	}
	for _, tc := range []struct {
		id, state string
	}{{enabled, model.KeyEnabled}, {disabled, model.KeyDisabled}, {deleting, model.KeyPendingDeletion}} {
		got, err := c.DescribeKMSKey(ctx, "eu-central-1", tc.id)
		if err != nil || !got.Found || got.State != tc.state {
			t.Errorf("%s: %+v, %v; want state %s", tc.id, got, err, tc.state)
		}
		if tc.state == model.KeyPendingDeletion && got.DeletionDate.IsZero() {
			t.Errorf("a key pending deletion has no deletion date: %+v", got)
		}
	}
	if got, err := c.DescribeKMSKey(ctx, "us-west-2", enabled); err != nil || got.Found {
		t.Errorf("a key of eu-central-1 asked in us-west-2: %+v, %v; want not found", got, err)
	}
}
