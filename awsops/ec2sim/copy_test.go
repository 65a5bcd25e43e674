package ec2sim

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// rawPost sends a form request signed (in name only) for region, for what
// the SDK refuses to send: Encrypted=false, a missing required parameter.
func (h *harness) rawPost(region string, form url.Values) (int, string) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.url+"/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261125/"+region+"/ec2/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func tags(n int) []types.Tag {
	out := make([]types.Tag, n)
	for i := range out {
		out[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")}
	}
	return out
}

func tagSpec(t ...types.Tag) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: types.ResourceTypeSnapshot, Tags: t}}
}

// Every rule of spec sections 1 and 2, one row each, answered with AWS's code.
func TestCopySnapshotRules(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	web := h.byName("us-west-2", "web-frontend-01")
	lz := h.byName("us-west-2", "lax-render-cache")
	outpostSrc := h.byName("us-west-2", "factory-floor-db")
	restored := h.byName("us-west-2", "logs-archive-2024")
	cases := []struct {
		name   string
		region string // the destination: the client's Region (default us-west-2)
		in     ec2.CopySnapshotInput
		code   string // "" means the copy is made
	}{
		{name: "bad SourceRegion", in: ec2.CopySnapshotInput{SourceRegion: aws.String("uswest2"), SourceSnapshotId: &web}, code: "InvalidParameterValue"},
		{name: "source Region not enabled", in: ec2.CopySnapshotInput{SourceRegion: aws.String("af-south-1"), SourceSnapshotId: &web}, code: "InvalidParameterValue"},
		{name: "bad id pattern", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String("snap-123")}, code: "InvalidParameterValue"},
		{name: "upper-case id", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(strings.ToUpper(web))}, code: "InvalidParameterValue"},
		{name: "unknown source", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String("snap-0123456789abcdef0")}, code: "InvalidSnapshot.NotFound"},
		{name: "source in another Region", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-east-1"), SourceSnapshotId: &web}, code: "InvalidSnapshot.NotFound"},
		{name: "description 255 characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Description: aws.String(strings.Repeat("é", 255))}},
		{name: "description 256 characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Description: aws.String(strings.Repeat("d", 256))}, code: "InvalidParameterValue"},
		{name: "control character in description", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Description: aws.String("bell\x07")}, code: "InvalidParameterValue"},
		{name: "KmsKeyId without Encrypted", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, KmsKeyId: aws.String("alias/backup")}, code: "InvalidParameterDependency"},
		{name: "key ARN of another Region", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true),
			KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")}, code: "InvalidParameterValue"},
		{name: "alias ARN of another Region", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true),
			KmsKeyId: aws.String("arn:aws:kms:eu-west-1:123456789012:alias/backup")}, code: "InvalidParameterValue"},
		{name: "bad alias characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/bad name!")}, code: "InvalidParameterValue"},
		{name: "alias of 257 characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/" + strings.Repeat("k", 251))}, code: "InvalidParameterValue"},
		{name: "malformed key", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), KmsKeyId: aws.String("my-key")}, code: "InvalidParameterValue"},
		{name: "50 tags", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(tags(50)...)}},
		{name: "51 tags", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(tags(51)...)}, code: "TagLimitExceeded"},
		{name: "key 127 characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String(strings.Repeat("k", 127)), Value: aws.String("v")})}},
		{name: "key 128 characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String(strings.Repeat("k", 128)), Value: aws.String("v")})}, code: "InvalidParameterValue"},
		{name: "value 256 characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String("k"), Value: aws.String(strings.Repeat("v", 256))})}},
		{name: "value 257 characters", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String("k"), Value: aws.String(strings.Repeat("v", 257))})}, code: "InvalidParameterValue"},
		{name: "aws: prefix", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String("aws:owner"), Value: aws.String("v")})}, code: "InvalidParameterValue"},
		{name: "AWS: prefix in another case", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String("AwS:owner"), Value: aws.String("v")})}, code: "InvalidParameterValue"},
		{name: "duplicate key", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String("env"), Value: aws.String("a")}, types.Tag{Key: aws.String("env"), Value: aws.String("b")})}, code: "InvalidParameterValue"},
		{name: "keys differ only in case", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String("env"), Value: aws.String("a")}, types.Tag{Key: aws.String("Env"), Value: aws.String("b")})}},
		{name: "tag resource type volume", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVolume, Tags: tags(1)}}}, code: "InvalidParameterValue"},
		{name: "control character in tag value", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, TagSpecifications: tagSpec(types.Tag{Key: aws.String("k"), Value: aws.String("a\x1b[0m")})}, code: "InvalidParameterValue"},
		{name: "duration 60", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, CompletionDurationMinutes: aws.Int32(60)}},
		{name: "duration not a multiple of 15", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, CompletionDurationMinutes: aws.Int32(20)}, code: "InvalidParameterValue"},
		{name: "duration under 15", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, CompletionDurationMinutes: aws.Int32(0)}, code: "InvalidParameterValue"},
		{name: "duration over 2880", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, CompletionDurationMinutes: aws.Int32(2895)}, code: "InvalidParameterValue"},
		{name: "duration 2880", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, CompletionDurationMinutes: aws.Int32(2880)}},
		{name: "duration with a Local Zone destination", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, CompletionDurationMinutes: aws.Int32(60), DestinationAvailabilityZone: aws.String("us-west-2-lax-1a")}, code: "InvalidParameterCombination"},
		{name: "duration with an Outpost destination", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), CompletionDurationMinutes: aws.Int32(60), DestinationOutpostArn: aws.String(OutpostArn)}, code: "InvalidParameterCombination"},
		{name: "duration with a Local Zone source", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz, CompletionDurationMinutes: aws.Int32(60)}, code: "InvalidParameterCombination"},
		{name: "Outpost and Local Zone together", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String(OutpostArn), DestinationAvailabilityZone: aws.String("us-west-2-lax-1a")}, code: "InvalidParameterCombination"},
		{name: "Outpost of another Region", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String("arn:aws:outposts:us-east-1:123456789012:outpost/op-0abc1234def567890")}, code: "InvalidParameterValue"},
		{name: "malformed Outpost ARN", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String("arn:aws:outposts:us-west-2:123456789012:outpost/op-123")}, code: "InvalidParameterValue"},
		{name: "Outpost from another source Region", region: "us-west-2", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-east-1"), SourceSnapshotId: aws.String(h.byName("us-east-1", "east-web")), Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String(OutpostArn)}, code: "InvalidParameterValue"},
		// AWS encrypts an Outpost copy with the Region's default key when Encrypted is left out.
		{name: "Outpost without Encrypted", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, DestinationOutpostArn: aws.String(OutpostArn)}},
		{name: "Outpost with Encrypted", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String(OutpostArn)}},
		{name: "an ordinary AZ as Local Zone", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, DestinationAvailabilityZone: aws.String("us-west-2a")}, code: "InvalidParameterValue"},
		{name: "Local Zone of another Region", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, DestinationAvailabilityZone: aws.String("us-east-1-bos-1a")}, code: "InvalidParameterValue"},
		{name: "Local Zone of the destination but not of the source Region", region: "us-east-1", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, DestinationAvailabilityZone: aws.String("us-east-1-bos-1a")}, code: "InvalidParameterValue"},
		{name: "Region to its Local Zone", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, DestinationAvailabilityZone: aws.String("us-west-2-lax-1b")}},
		{name: "Local Zone source to another zone group", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz, DestinationAvailabilityZone: aws.String("us-west-2-den-1a")}, code: "InvalidParameterValue"},
		{name: "Local Zone source to its zone group", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz, DestinationAvailabilityZone: aws.String("us-west-2-lax-1b")}},
		{name: "Local Zone source to the same zone", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz, DestinationAvailabilityZone: aws.String("us-west-2-lax-1a")}},
		{name: "Local Zone source to its parent Region", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz}},
		{name: "Local Zone source to another Region", region: "us-east-1", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz}, code: "InvalidParameterValue"},
		{name: "Local Zone source to an Outpost", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz, Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String(OutpostArn)}, code: "InvalidParameterValue"},
		{name: "Outpost source", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &outpostSrc}, code: "InvalidParameterValue"},
		{name: "pending source", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "jenkins-home"))}, code: "IncorrectState"},
		{name: "error source", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "legacy-app-data"))}, code: "IncorrectState"},
		{name: "archived source", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "logs-archive-2025"))}, code: "IncorrectState"},
		{name: "restored archive", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &restored}},
		{name: "cross-Region copy", region: "eu-west-1", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web}},
		{name: "shared source", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "partner-golden-image"))}},
		{name: "request to a Region not opted in", region: "af-south-1", in: ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web}, code: "AuthFailure"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			region := tc.region
			if region == "" {
				region = "us-west-2"
			}
			before := h.sim.SnapshotCount(region)
			out, err := h.ec2(region).CopySnapshot(ctx, &tc.in)
			if got := apiCode(err); got != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			after := h.sim.SnapshotCount(region)
			if tc.code != "" {
				if after != before {
					t.Errorf("a refused copy changed the world: %d -> %d snapshots", before, after)
				}
				return
			}
			if after != before+1 {
				t.Errorf("snapshots %d -> %d, want one more", before, after)
			}
			if _, ok := h.sim.Snapshot(region, aws.ToString(out.SnapshotId)); !ok {
				t.Errorf("copy %s not in %s", aws.ToString(out.SnapshotId), region)
			}
		})
	}
}

// What the SDK never sends: Encrypted=false and missing required parameters.
func TestCopySnapshotRawRequests(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	web := h.byName("us-west-2", "web-frontend-01")
	base := func(kv ...string) url.Values {
		v := url.Values{"Action": {"CopySnapshot"}, "Version": {"2016-11-15"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		name string
		form url.Values
		code string
	}{
		{"Encrypted=false", base("SourceRegion", "us-west-2", "SourceSnapshotId", web, "Encrypted", "false"), "InvalidParameterValue"},
		{"no SourceRegion", base("SourceSnapshotId", web), "MissingParameter"},
		{"no SourceSnapshotId", base("SourceRegion", "us-west-2"), "MissingParameter"},
		{"two snapshot tag specifications", base("SourceRegion", "us-west-2", "SourceSnapshotId", web,
			"TagSpecification.1.ResourceType", "snapshot", "TagSpecification.1.Tag.1.Key", "a",
			"TagSpecification.2.ResourceType", "snapshot", "TagSpecification.2.Tag.1.Key", "b"), "InvalidParameterValue"},
		{"tag specification without a type", base("SourceRegion", "us-west-2", "SourceSnapshotId", web, "TagSpecification.1.Tag.1.Key", "a"), "InvalidParameterValue"},
		{"unknown action", url.Values{"Action": {"RunInstances"}}, "InvalidAction"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.rawPost("us-west-2", tc.form)
			if status != http.StatusBadRequest || !strings.Contains(body, "<Code>"+tc.code+"</Code>") {
				t.Fatalf("status %d body %s, want 400 %s", status, body, tc.code)
			}
			if !strings.Contains(body, "<RequestID>") {
				t.Errorf("no RequestID in %s", body)
			}
		})
	}
}

func TestCopySnapshotAnswer(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	src := h.byName("us-west-2", "web-frontend-01")
	c := h.ec2("us-east-1")
	out, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{
		SourceRegion:      aws.String("us-west-2"),
		SourceSnapshotId:  aws.String(src),
		TagSpecifications: tagSpec(types.Tag{Key: aws.String("Name"), Value: aws.String("web copy")}, types.Tag{Key: aws.String("snapcopy:request-id"), Value: aws.String("sc-1")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.SnapshotId)
	if !reSnapshotID.MatchString(id) || len(id) != len("snap-")+17 {
		t.Errorf("new id %q is not snap- and 17 hex digits", id)
	}
	if len(out.Tags) != 2 || aws.ToString(out.Tags[0].Key) != "Name" || aws.ToString(out.Tags[1].Value) != "sc-1" {
		t.Errorf("answered tags %+v", out.Tags)
	}
	got := describe(t, c, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}})[0]
	if got.State != types.SnapshotStatePending || aws.ToString(got.Progress) != "0%" || aws.ToString(got.VolumeId) != "vol-ffffffff" ||
		aws.ToString(got.Description) != "[Copied "+src+" from us-west-2]" || aws.ToInt32(got.VolumeSize) != 8 ||
		!got.StartTime.Equal(t0) || got.TransferType != types.TransferTypeStandard || aws.ToBool(got.Encrypted) ||
		aws.ToString(got.OwnerId) != AccountID || tagOf(got, "snapcopy:request-id") != "sc-1" {
		t.Errorf("new copy arrived as %+v", got)
	}
	// The SDK presigns the request for the source Region; it reaches AWS.
	reqs := h.sim.Requests("CopySnapshot")
	if len(reqs) != 1 {
		t.Fatalf("%d CopySnapshot requests recorded", len(reqs))
	}
	p := reqs[0].Params
	if !strings.Contains(p.Get("PresignedUrl"), "X-Amz-Signature=") || !strings.Contains(p.Get("PresignedUrl"), "Action=CopySnapshot") {
		t.Errorf("PresignedUrl = %q", p.Get("PresignedUrl"))
	}
	pre, err := url.Parse(p.Get("PresignedUrl"))
	if err != nil {
		t.Fatal(err)
	}
	q := pre.Query()
	if q.Get("DestinationRegion") != "us-east-1" || !strings.Contains(q.Get("X-Amz-Credential"), "/us-west-2/ec2/") || reqs[0].Region != "us-east-1" {
		t.Errorf("presigned for %q to %q; request Region %q", q.Get("X-Amz-Credential"), q.Get("DestinationRegion"), reqs[0].Region)
	}
}

func TestCopySnapshotPlacement(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	copyOf := func(in ec2.CopySnapshotInput) types.Snapshot {
		t.Helper()
		out, err := c.CopySnapshot(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return describe(t, c, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{aws.ToString(out.SnapshotId)}})[0]
	}
	web := h.byName("us-west-2", "web-frontend-01")
	if s := copyOf(ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, DestinationAvailabilityZone: aws.String("us-west-2-lax-1b")}); aws.ToString(s.AvailabilityZone) != "us-west-2-lax-1b" {
		t.Errorf("Local Zone copy AZ = %q", aws.ToString(s.AvailabilityZone))
	}
	if s := copyOf(ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String(OutpostArn)}); aws.ToString(s.OutpostArn) != OutpostArn || !aws.ToBool(s.Encrypted) {
		t.Errorf("Outpost copy: ARN %q encrypted %v", aws.ToString(s.OutpostArn), aws.ToBool(s.Encrypted))
	}
	if s := copyOf(ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &web, CompletionDurationMinutes: aws.Int32(90), Description: aws.String("timed")}); s.TransferType != types.TransferTypeTimeBased || aws.ToInt32(s.CompletionDurationMinutes) != 90 || aws.ToString(s.Description) != "timed" {
		t.Errorf("time-based copy: %s %d %q", s.TransferType, aws.ToInt32(s.CompletionDurationMinutes), aws.ToString(s.Description))
	}
	lz := h.byName("us-west-2", "lax-render-cache")
	if s := copyOf(ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &lz}); aws.ToString(s.AvailabilityZone) != "" {
		t.Errorf("Local Zone source copied to the Region has AZ %q", aws.ToString(s.AvailabilityZone))
	}
}

// The encryption outcome table of spec section 2.
func TestCopySnapshotEncryptionOutcome(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	key := func(region, alias string) string {
		arn, ok := h.sim.KMSKeyArn(region, alias)
		if !ok {
			t.Fatalf("no %s in %s", alias, region)
		}
		return arn
	}
	plain := h.byName("us-west-2", "web-frontend-01")
	enc := h.byName("us-west-2", "db-prod-primary")
	cases := []struct {
		name      string
		dest      string
		in        ec2.CopySnapshotInput
		encrypted bool
		key       string
	}{
		{"unencrypted, default off, nothing asked", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &plain}, false, ""},
		{"unencrypted, default off, Encrypted", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &plain, Encrypted: aws.Bool(true)}, true, key("us-east-1", "alias/aws/ebs")},
		{"unencrypted, default off, Encrypted with a key", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &plain, Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/backup")}, true, key("us-east-1", "alias/backup")},
		{"unencrypted, default on, nothing asked", "eu-central-1", ec2.CopySnapshotInput{SourceSnapshotId: &plain}, true, key("eu-central-1", "alias/aws/ebs")},
		{"unencrypted, default on, a key", "eu-central-1", ec2.CopySnapshotInput{SourceSnapshotId: &plain, Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/prod-ebs")}, true, key("eu-central-1", "alias/prod-ebs")},
		{"encrypted, no key: the destination's default", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &enc}, true, key("us-east-1", "alias/aws/ebs")},
		{"encrypted, same Region, no key: the default", "us-west-2", ec2.CopySnapshotInput{SourceSnapshotId: &enc}, true, key("us-west-2", "alias/aws/ebs")},
		{"encrypted, a key: re-encrypted", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &enc, Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/backup")}, true, key("us-east-1", "alias/backup")},
		{"a key by ARN", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &enc, Encrypted: aws.Bool(true), KmsKeyId: aws.String(key("us-east-1", "alias/backup"))}, true, key("us-east-1", "alias/backup")},
		{"a key by id", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &enc, Encrypted: aws.Bool(true), KmsKeyId: aws.String(key("us-east-1", "alias/backup")[strings.LastIndex(key("us-east-1", "alias/backup"), "/")+1:])}, true, key("us-east-1", "alias/backup")},
		{"a key by alias ARN", "us-east-1", ec2.CopySnapshotInput{SourceSnapshotId: &enc, Encrypted: aws.Bool(true), KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:alias/prod-ebs")}, true, key("us-east-1", "alias/prod-ebs")},
		{"Outpost: encrypted", "us-west-2", ec2.CopySnapshotInput{SourceSnapshotId: &plain, Encrypted: aws.Bool(true), DestinationOutpostArn: aws.String(OutpostArn)}, true, key("us-west-2", "alias/aws/ebs")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.SourceRegion = aws.String("us-west-2")
			c := h.ec2(tc.dest)
			out, err := c.CopySnapshot(ctx, &tc.in)
			if err != nil {
				t.Fatal(err)
			}
			s := describe(t, c, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{aws.ToString(out.SnapshotId)}})[0]
			if aws.ToBool(s.Encrypted) != tc.encrypted || aws.ToString(s.KmsKeyId) != tc.key {
				t.Errorf("encrypted %v key %q, want %v %q", aws.ToBool(s.Encrypted), aws.ToString(s.KmsKeyId), tc.encrypted, tc.key)
			}
		})
	}
}

// A new copy is invisible for the visibility lag: look-ups by id fail,
// filters leave it out; afterwards both show it.
func TestCopySnapshotVisibilityLag(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, VisibilityLag: 2 * time.Second})
	c := h.ec2("us-west-2")
	out, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "web-frontend-01"))})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.SnapshotId)
	byFilter := func() int {
		return len(describe(t, c, &ec2.DescribeSnapshotsInput{Filters: []types.Filter{{Name: aws.String("snapshot-id"), Values: []string{id}}}}))
	}
	h.clock.Advance(1999 * time.Millisecond)
	if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}}); apiCode(err) != "InvalidSnapshot.NotFound" {
		t.Fatalf("during the lag: %v, want InvalidSnapshot.NotFound", err)
	}
	if n := byFilter(); n != 0 {
		t.Fatalf("during the lag the filter found %d", n)
	}
	if n := len(describe(t, c, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})); n != seedUSWest2Total {
		t.Fatalf("during the lag the listing has %d", n)
	}
	h.clock.Advance(time.Millisecond)
	if got := describe(t, c, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}}); len(got) != 1 {
		t.Fatalf("after the lag: %d results", len(got))
	}
	if n := byFilter(); n != 1 {
		t.Fatalf("after the lag the filter found %d", n)
	}
}

func describeOne(t *testing.T, c *ec2.Client, id string) types.Snapshot {
	t.Helper()
	return describe(t, c, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}})[0]
}

// Progress advances with the manual clock at BaseThroughputMiBps times the
// time scale, and the copy completes.
func TestCopySnapshotProgress(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, TimeScale: 2})
	c := h.ec2("us-west-2")
	src := h.byName("us-west-2", "staging-db") // 100 GiB
	out, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &src})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.SnapshotId)
	total := time.Duration(100 * 1024 / BaseThroughputMiBps / 2 * float64(time.Second)) // 853.3 s at scale 2
	if s := describeOne(t, c, id); s.State != types.SnapshotStatePending || aws.ToString(s.Progress) != "0%" {
		t.Fatalf("at start: %s %s", s.State, aws.ToString(s.Progress))
	}
	h.clock.Advance(total / 2)
	if s := describeOne(t, c, id); s.State != types.SnapshotStatePending || aws.ToString(s.Progress) != "49%" && aws.ToString(s.Progress) != "50%" {
		t.Fatalf("half way: %s %s", s.State, aws.ToString(s.Progress))
	}
	h.clock.Advance(total/2 - time.Second)
	if s := describeOne(t, c, id); s.State != types.SnapshotStatePending || aws.ToString(s.Progress) != "99%" {
		t.Fatalf("a second before the end: %s %s", s.State, aws.ToString(s.Progress))
	}
	h.clock.Advance(2 * time.Second)
	s := describeOne(t, c, id)
	if s.State != types.SnapshotStateCompleted || aws.ToString(s.Progress) != "100%" || s.CompletionTime == nil {
		t.Fatalf("at the end: %s %s %v", s.State, aws.ToString(s.Progress), s.CompletionTime)
	}
	if d := s.CompletionTime.Sub(t0); d < total-time.Second || d > total+time.Second {
		t.Errorf("completed after %v, want %v", d, total)
	}
	// Once done, it can be copied itself.
	if _, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &id}); err != nil {
		t.Errorf("copy of the finished copy: %v", err)
	}
}

// A time-based copy within the throughput quota finishes at its requested
// duration, scaled.
func TestCopySnapshotTimeBasedDuration(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, TimeScale: 10})
	c := h.ec2("us-west-2")
	out, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "db-prod-primary")), CompletionDurationMinutes: aws.Int32(30)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.SnapshotId)
	h.clock.Advance(179 * time.Second) // 30 min / 10
	if s := describeOne(t, c, id); s.State != types.SnapshotStatePending {
		t.Fatalf("before the deadline: %s", s.State)
	}
	h.clock.Advance(time.Second)
	if s := describeOne(t, c, id); s.State != types.SnapshotStateCompleted {
		t.Fatalf("at the deadline: %s %s", s.State, aws.ToString(s.Progress))
	}
}

// A key that does not exist in the destination is accepted; the copy then
// ends in error with AWS's state message for a key it cannot use.
func TestCopySnapshotMissingKeyEndsInError(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	out, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "staging-db")),
		Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/does-not-exist")})
	if err != nil {
		t.Fatalf("a missing key must be accepted: %v", err)
	}
	id := aws.ToString(out.SnapshotId)
	if s := describeOne(t, c, id); s.State != types.SnapshotStatePending {
		t.Fatalf("at first: %s", s.State)
	}
	h.clock.Advance(kmsFailMax)
	s := describeOne(t, c, id)
	if s.State != types.SnapshotStateError || aws.ToString(s.StateMessage) != "Given key ID is not accessible" {
		t.Fatalf("after the check: %s %q", s.State, aws.ToString(s.StateMessage))
	}
	if p := aws.ToString(s.Progress); p == "" || p == "100%" {
		t.Errorf("error progress %q, want partway", p)
	}
	h.clock.Advance(24 * time.Hour)
	if s := describeOne(t, c, id); s.State != types.SnapshotStateError {
		t.Errorf("a day later: %s", s.State)
	}
}

func TestCopySnapshotResourceLimit(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-east-1")
	src := h.byName("us-west-2", "analytics-warehouse") // 16 TiB: stays pending
	in := &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &src}
	for i := 0; i < MaxPendingCopies; i++ {
		if _, err := c.CopySnapshot(ctx, in); err != nil {
			t.Fatalf("copy %d: %v", i+1, err)
		}
	}
	_, err := c.CopySnapshot(ctx, in)
	if apiCode(err) != "ResourceLimitExceeded" {
		t.Fatalf("copy %d: %v, want ResourceLimitExceeded", MaxPendingCopies+1, err)
	}
	// Another Region has its own limit.
	if _, err := h.ec2("eu-west-1").CopySnapshot(ctx, in); err != nil {
		t.Fatalf("copy into eu-west-1: %v", err)
	}
	h.clock.Advance(100 * time.Hour)
	if _, err := c.CopySnapshot(ctx, in); err != nil {
		t.Fatalf("after the copies finished: %v", err)
	}
}

func TestCopySnapshotDryRun(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	in := &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "web-frontend-01")), DryRun: aws.Bool(true)}
	before := h.sim.SnapshotCount("us-west-2")
	_, err := c.CopySnapshot(ctx, in)
	if apiCode(err) != "DryRunOperation" || httpStatus(err) != http.StatusPreconditionFailed {
		t.Fatalf("dry run: %v (status %d), want DryRunOperation 412", err, httpStatus(err))
	}
	h.sim.SetFaults(Faults{DenyPermission: true})
	_, err = c.CopySnapshot(ctx, in)
	if apiCode(err) != "UnauthorizedOperation" || httpStatus(err) != http.StatusForbidden {
		t.Fatalf("dry run without permission: %v (status %d), want UnauthorizedOperation 403", err, httpStatus(err))
	}
	if after := h.sim.SnapshotCount("us-west-2"); after != before {
		t.Errorf("a dry run made a copy: %d -> %d", before, after)
	}
	// A dry run still checks the request.
	h.sim.SetFaults(Faults{})
	in.Description = aws.String(strings.Repeat("x", 300))
	if _, err := c.CopySnapshot(ctx, in); apiCode(err) != "InvalidParameterValue" {
		t.Errorf("invalid dry run: %v", err)
	}
}

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
