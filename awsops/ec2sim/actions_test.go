package ec2sim

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func TestDescribeRegions(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	all, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range all.Regions {
		status[aws.ToString(r.RegionName)] = aws.ToString(r.OptInStatus)
		if aws.ToString(r.Endpoint) != "ec2."+aws.ToString(r.RegionName)+".amazonaws.com" {
			t.Errorf("endpoint %q", aws.ToString(r.Endpoint))
		}
	}
	want := map[string]string{"us-east-1": "opt-in-not-required", "us-west-2": "opt-in-not-required", "eu-west-1": "opt-in-not-required",
		"eu-central-1": "opt-in-not-required", "ap-southeast-2": "opt-in-not-required", "af-south-1": "not-opted-in"}
	if len(status) != len(want) {
		t.Fatalf("regions %v", status)
	}
	for k, v := range want {
		if status[k] != v {
			t.Errorf("%s: %q, want %q", k, status[k], v)
		}
	}
	enabled, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(enabled.Regions) != 5 {
		t.Errorf("without AllRegions: %d regions, want the 5 enabled", len(enabled.Regions))
	}
	for _, r := range enabled.Regions {
		if aws.ToString(r.RegionName) == "af-south-1" {
			t.Error("af-south-1 listed without AllRegions")
		}
	}
}

func TestDescribeAvailabilityZones(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	out, err := h.ec2("us-west-2").DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		AllAvailabilityZones: aws.Bool(true),
		Filters:              []types.Filter{{Name: aws.String("zone-type"), Values: []string{"local-zone"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, z := range out.AvailabilityZones {
		got = append(got, aws.ToString(z.ZoneName)+" "+aws.ToString(z.GroupName)+" "+aws.ToString(z.RegionName)+" "+aws.ToString(z.ZoneType)+" "+string(z.State)+" "+string(z.OptInStatus))
		if aws.ToString(z.ParentZoneName) == "" || aws.ToString(z.ZoneId) == "" || aws.ToString(z.NetworkBorderGroup) != aws.ToString(z.GroupName) {
			t.Errorf("%s: parent %q id %q border group %q", aws.ToString(z.ZoneName), aws.ToString(z.ParentZoneName), aws.ToString(z.ZoneId), aws.ToString(z.NetworkBorderGroup))
		}
	}
	sort.Strings(got)
	want := []string{
		"us-west-2-den-1a us-west-2-den-1 us-west-2 local-zone available opted-in",
		"us-west-2-lax-1a us-west-2-lax-1 us-west-2 local-zone available opted-in",
		"us-west-2-lax-1b us-west-2-lax-1 us-west-2 local-zone available opted-in",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Local Zones of us-west-2:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	east, err := h.ec2("us-east-1").DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{AllAvailabilityZones: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	local, normal := 0, 0
	for _, z := range east.AvailabilityZones {
		if aws.ToString(z.RegionName) != "us-east-1" {
			t.Errorf("zone %s of %s in a us-east-1 answer", aws.ToString(z.ZoneName), aws.ToString(z.RegionName))
		}
		if aws.ToString(z.ZoneType) == "local-zone" {
			local++
			if aws.ToString(z.ZoneName) != "us-east-1-bos-1a" || aws.ToString(z.GroupName) != "us-east-1-bos-1" {
				t.Errorf("us-east-1 Local Zone %s in %s", aws.ToString(z.ZoneName), aws.ToString(z.GroupName))
			}
		} else {
			normal++
		}
	}
	if local != 1 || normal < 3 {
		t.Errorf("us-east-1: %d Local Zones, %d Availability Zones", local, normal)
	}
}

func TestEbsEncryptionDefaults(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	for region, want := range map[string]bool{"eu-central-1": true, "us-west-2": false, "us-east-1": false} {
		c := h.ec2(region)
		on, err := c.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToBool(on.EbsEncryptionByDefault) != want {
			t.Errorf("%s encryption by default = %v", region, aws.ToBool(on.EbsEncryptionByDefault))
		}
		key, err := c.GetEbsDefaultKmsKeyId(ctx, &ec2.GetEbsDefaultKmsKeyIdInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(key.KmsKeyId) != "alias/aws/ebs" {
			t.Errorf("%s default key = %q", region, aws.ToString(key.KmsKeyId))
		}
	}
}

// A Region the account has not opted in to refuses every call.
func TestRegionNotOptedIn(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	_, err := h.ec2("af-south-1").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	if apiCode(err) != "AuthFailure" || httpStatus(err) != http.StatusUnauthorized {
		t.Fatalf("%v (status %d), want AuthFailure 401", err, httpStatus(err))
	}
	if _, err := h.kms("af-south-1").ListAliases(ctx, &kms.ListAliasesInput{}); apiCode(err) != "UnrecognizedClientException" {
		t.Fatalf("KMS: %v", err)
	}
}

func TestCreateTags(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	id := h.byName("us-west-2", "dev-sandbox")
	_, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{
		{Key: aws.String("owner"), Value: aws.String("ana")},
		{Key: aws.String("env"), Value: aws.String("test")}, // replaces env=dev
	}})
	if err != nil {
		t.Fatal(err)
	}
	s := describeOne(t, c, id)
	if tagOf(s, "owner") != "ana" || tagOf(s, "env") != "test" || tagOf(s, "Name") != "dev-sandbox" || len(s.Tags) != 3 {
		t.Errorf("tags after CreateTags: %+v", s.Tags)
	}
	cases := []struct {
		name string
		in   ec2.CreateTagsInput
		code string
	}{
		{"unknown snapshot", ec2.CreateTagsInput{Resources: []string{"snap-0123456789abcdef0"}, Tags: tags(1)}, "InvalidSnapshot.NotFound"},
		{"not a snapshot", ec2.CreateTagsInput{Resources: []string{"vol-0123456789abcdef0"}, Tags: tags(1)}, "InvalidID"},
		{"aws: key", ec2.CreateTagsInput{Resources: []string{id}, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}}, "InvalidParameterValue"},
		{"beyond 50 tags in all", ec2.CreateTagsInput{Resources: []string{id}, Tags: tags(48)}, "TagLimitExceeded"},
		{"shared snapshot", ec2.CreateTagsInput{Resources: []string{h.byName("us-west-2", "partner-dataset")}, Tags: tags(1)}, "InvalidSnapshot.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.CreateTags(ctx, &tc.in); apiCode(err) != tc.code {
				t.Fatalf("%v, want %s", err, tc.code)
			}
		})
	}
	if s := describeOne(t, c, id); len(s.Tags) != 3 {
		t.Errorf("a refused CreateTags changed the tags: %+v", s.Tags)
	}
}

func TestKMSListAliases(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.kms("us-west-2")
	p := kms.NewListAliasesPaginator(c, &kms.ListAliasesInput{Limit: aws.Int32(2)})
	var got []kmstypes.AliasListEntry
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.Aliases...)
	}
	if pages != 2 || len(got) != 3 {
		t.Fatalf("%d aliases in %d pages, want 3 in 2", len(got), pages)
	}
	for _, a := range got {
		name := aws.ToString(a.AliasName)
		want, ok := h.sim.KMSKeyArn("us-west-2", name)
		if !ok || !strings.HasSuffix(want, "/"+aws.ToString(a.TargetKeyId)) || aws.ToString(a.AliasArn) != "arn:aws:kms:us-west-2:123456789012:"+name {
			t.Errorf("alias %s: arn %s target %s", name, aws.ToString(a.AliasArn), aws.ToString(a.TargetKeyId))
		}
	}
	if names := []string{aws.ToString(got[0].AliasName), aws.ToString(got[1].AliasName), aws.ToString(got[2].AliasName)}; strings.Join(names, ",") != "alias/aws/ebs,alias/backup,alias/prod-ebs" {
		t.Errorf("aliases %v", names)
	}
	// Keys belong to one Region.
	east, err := h.kms("us-east-1").ListAliases(ctx, &kms.ListAliasesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(east.Aliases[0].TargetKeyId) == aws.ToString(got[0].TargetKeyId) {
		t.Error("us-east-1 and us-west-2 share a key id")
	}
}

func TestKMSDescribeKey(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.kms("us-west-2")
	arn, _ := h.sim.KMSKeyArn("us-west-2", "alias/backup")
	keyID := arn[strings.LastIndex(arn, "/")+1:]
	for _, id := range []string{"alias/backup", arn, keyID, strings.ToUpper(keyID), "arn:aws:kms:us-west-2:123456789012:alias/backup"} {
		out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		if err != nil {
			t.Fatalf("DescribeKey(%s): %v", id, err)
		}
		m := out.KeyMetadata
		if aws.ToString(m.Arn) != arn || aws.ToString(m.KeyId) != keyID || m.KeyManager != kmstypes.KeyManagerTypeCustomer || m.KeyState != kmstypes.KeyStateEnabled || !m.Enabled || m.CreationDate == nil {
			t.Errorf("DescribeKey(%s) = %+v", id, m)
		}
	}
	managed, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ebs")})
	if err != nil {
		t.Fatal(err)
	}
	if managed.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeAws {
		t.Errorf("alias/aws/ebs key manager %s", managed.KeyMetadata.KeyManager)
	}
	for _, id := range []string{"alias/nope", "1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:123456789012:key/" + keyID, "not a key"} {
		if _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)}); apiCode(err) != "NotFoundException" {
			t.Errorf("DescribeKey(%s): %v, want NotFoundException", id, err)
		}
	}
}
