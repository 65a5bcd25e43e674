package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func recurring() RecurringCopy {
	return RecurringCopy{
		Name: "db nightly", SourceRegion: "us-west-2",
		TargetTag: Tag{Key: "backup", Value: "nightly"},
		Schedule:  Recurrence{Hours: 24, At: "03:00"},
		Retain:    Retention{Count: 14},
		Copies:    []RecurringTarget{{Target: "us-east-1", Encrypted: true, KeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", Retain: Age{N: 30, Unit: Days}}},
		CopyTags:  true,
		RoleArn:   DLMRoleArn("aws", "123456789012", DLMDefaultRole),
	}
}

// The document is DLM's, member for member: what --cli-input-json reads.
func TestSourcePolicyJSON(t *testing.T) {
	want := `{
  "ExecutionRoleArn": "arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole",
  "Description": "db nightly",
  "State": "ENABLED",
  "PolicyDetails": {
    "PolicyType": "EBS_SNAPSHOT_MANAGEMENT",
    "ResourceTypes": [
      "VOLUME"
    ],
    "ResourceLocations": [
      "CLOUD"
    ],
    "TargetTags": [
      {
        "Key": "backup",
        "Value": "nightly"
      }
    ],
    "Schedules": [
      {
        "Name": "db nightly",
        "CopyTags": true,
        "CreateRule": {
          "Location": "CLOUD",
          "Interval": 24,
          "IntervalUnit": "HOURS",
          "Times": [
            "03:00"
          ]
        },
        "RetainRule": {
          "Count": 14
        },
        "CrossRegionCopyRules": [
          {
            "Target": "us-east-1",
            "Encrypted": true,
            "CmkArn": "arn:aws:kms:us-east-1:123456789012:key/k",
            "CopyTags": true,
            "RetainRule": {
              "Interval": 30,
              "IntervalUnit": "DAYS"
            }
          }
        ]
      }
    ]
  }
}`
	if got := recurring().SourcePolicy().JSON(); got != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", got, want)
	}
}

func TestEventPolicyNamesTheSourcePolicyOnceKnown(t *testing.T) {
	r := recurring()
	r.DestinationAccount, r.DestinationRoleArn = "111122223333", DLMRoleArn("aws", "111122223333", DLMDefaultRole)
	r.SourcePolicyID = "policy-0abc"
	ev := r.EventPolicy()
	if got := ev.PolicyDetails.EventSource.Parameters.DescriptionRegex; got != "^.*Created for policy: policy-0abc.*$" {
		t.Errorf("regex %q", got)
	}
	var back map[string]any
	if err := json.Unmarshal([]byte(ev.JSON()), &back); err != nil {
		t.Fatal(err)
	}
	if _, ok := back["PolicyDetails"].(map[string]any)["Schedules"]; ok {
		t.Error("an event policy carries Schedules")
	}
}

func TestDLMCommand(t *testing.T) {
	got := DLMCommand("us-west-2", "ops", recurring().SourcePolicy(), "policy.json")
	if got != "aws dlm create-lifecycle-policy --region us-west-2 --profile ops --cli-input-json file://policy.json" {
		t.Errorf("command %q", got)
	}
	inline := DLMCommand("us-west-2", "", recurring().SourcePolicy(), "")
	if !strings.HasPrefix(inline, `aws dlm create-lifecycle-policy --region us-west-2 --cli-input-json '{"ExecutionRoleArn":`) {
		t.Errorf("inline %q", inline)
	}
}
