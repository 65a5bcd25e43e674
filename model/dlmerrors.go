package model

import "strings"

// DLMCreateDefaultRole is the AWS CLI command that creates DLM's default
// execution role (AWSDataLifecycleManagerDefaultRole, trusted by
// dlm.amazonaws.com, with AWS's managed policy for snapshots).
const DLMCreateDefaultRole = "aws dlm create-default-role --resource-type snapshot"

// ExplainDLM words an error of creating a DLM policy whose execution role
// is role: Explain's text, and where the role or a permission is missing,
// what to do about it.
func ExplainDLM(err error, role string) string {
	ae, ok := AsAPIError(err)
	if !ok {
		return Explain(err)
	}
	where := ae.Op
	if ae.Region != "" {
		where += " in " + ae.Region
	}
	switch {
	case ae.Kind == ErrPermission:
		return where + ": " + ae.Code + " — your IAM identity may not create DLM policies, or may not pass the role " + role +
			" to DLM: ask for dlm:CreateLifecyclePolicy and iam:PassRole on that role, or switch profile. AWS says: " + ae.Message
	case ae.Kind == ErrInvalid && dlmRoleRefused(ae.Message):
		return where + ": " + ae.Code + " — the execution role " + role + " does not exist in this account or DLM cannot assume it: create DLM's default role (`" +
			DLMCreateDefaultRole + "`) or name a role of this account that trusts dlm.amazonaws.com, then try again. AWS says: " + ae.Message
	}
	return Explain(err)
}

// dlmRoleRefused reports whether DLM refused a request for its execution
// role. UNCONFIRMED: DLM documents that the role must exist and let DLM
// act, not the words of InvalidRequestException when it does not; any
// message about the role or ExecutionRoleArn is taken for it.
func dlmRoleRefused(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "role")
}

// Partition is the ARN partition of a Region: aws-cn in China, aws-us-gov
// in GovCloud, else aws.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
