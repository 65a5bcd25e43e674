package awsops_test

import (
	"context"
	"errors"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// What the source account tells of a copy into the second account, for
// each way a source can be encrypted.
func TestCheckCross(t *testing.T) {
	t.Parallel()
	sim := simtest.Start(t, simtest.Setup{})
	ctx := context.Background()
	c := sim.Client
	snap := func(name string) model.Snapshot {
		s, ok := sim.Server.SnapshotByName("us-west-2", name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		return model.Snapshot{ID: s.ID, Region: "us-west-2", Encrypted: s.Encrypted, KmsKeyID: s.KmsKeyID}
	}
	dr := ec2sim.DRAccountID

	web := snap("web-frontend-01")
	if err := c.ShareSnapshot(ctx, "us-west-2", web.ID, dr); err != nil {
		t.Fatal(err)
	}
	cc, err := c.CheckCross(ctx, web, dr, "")
	if err != nil || cc.SourceKey != "" || cc.Policy != "" || !cc.Facts.SharedKnown || !cc.Facts.AlreadyShared || cc.Facts.SourceEncrypted {
		t.Errorf("unencrypted, shared: %+v, %v", cc, err)
	}

	managed := snap("web-vol-27")
	cc, err = c.CheckCross(ctx, managed, dr, "")
	if err != nil || !cc.Facts.SourceKeyAWSManaged || cc.ReencryptKey != "" || cc.Facts.PolicyKnown || cc.Facts.AlreadyShared {
		t.Errorf("AWS managed key, no re-encrypting key: %+v, %v", cc, err)
	}
	if _, err := model.PlanCrossAccount(managed.ID, model.CrossAccount{DestinationProfile: "dr", ReencryptKey: cc.ReencryptKey}, cc.Facts); !errors.As(err, new(model.ErrNeedsReencryptKey)) {
		t.Errorf("the plan without a re-encrypting key: %v", err)
	}
	backup, _ := sim.Server.KMSKeyArn("us-west-2", "alias/backup")
	cc, err = c.CheckCross(ctx, managed, dr, "alias/backup")
	if err != nil || cc.ReencryptKey != backup || !cc.Facts.PolicyKnown || len(cc.Facts.MissingStatements) != 2 || cc.Policy == "" {
		t.Errorf("re-encrypted under alias/backup: %+v, %v", cc, err)
	}
	var ke *awsops.CrossKeyError
	_, err = c.CheckCross(ctx, managed, dr, "alias/aws/ebs")
	if !errors.As(err, &ke) || !ke.Reencrypt || !errors.Is(err, awsops.ErrReencryptKeyManaged) {
		t.Errorf("re-encrypting under the AWS managed key: %v", err)
	}
	_, err = c.CheckCross(ctx, managed, dr, "alias/no-such-key")
	if !errors.As(err, &ke) || !ke.Reencrypt || ke.Key != "alias/no-such-key" {
		t.Errorf("a re-encrypting key that does not exist: %v", err)
	}

	prod := snap("db-prod-primary")
	cc, err = c.CheckCross(ctx, prod, dr, "")
	prodKey, _ := sim.Server.KMSKeyArn("us-west-2", "alias/prod-ebs")
	if err != nil || cc.SourceKey != prodKey || cc.Facts.SourceKeyAWSManaged || len(cc.Facts.MissingStatements) != 2 {
		t.Errorf("customer managed key: %+v, %v", cc, err)
	}
}
