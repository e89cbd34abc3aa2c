package interop

// The export workflow's neighbours through the official Go SDK (docs/workflow-access.md): the cluster and
// project reads a client makes around an export, the flex probes, the boundary, and the cloud provider
// access role an export bucket names (created, refused while unauthorized, authorized, used, deauthorized).

import (
	"net/http"
	"regexp"
	"testing"

	"go.mongodb.org/atlas-sdk/v20250312020/admin"
)

const (
	orgID      = "6650a0c1f1d2e3a4b5c6d7e0"
	awsRoleARN = "arn:aws:iam::123456789012:role/interop-exports"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestCloudProviderAccessThenBucket(t *testing.T) {
	m := startMock(t)
	sdk := digestClient(t, m)

	role, res, err := sdk.CloudProviderAccessApi.CreateCloudProviderAccess(ctx(t), groupID, &admin.CloudProviderAccessRoleRequest{ProviderName: "AWS"}).Execute()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("CreateCloudProviderAccess: %v (status %v)", err, res)
	}
	if role.GetRoleId() == "" || role.GetAtlasAWSAccountArn() != "arn:aws:iam::299602853325:root" || !uuidV4.MatchString(role.GetAtlasAssumedRoleExternalId()) || role.AuthorizedDate != nil || role.IamAssumedRoleArn != nil {
		t.Fatalf("created role: %+v", role)
	}
	roleID := role.GetRoleId()

	bucket := &admin.DiskBackupSnapshotExportBucketRequest{CloudProvider: "AWS", BucketName: admin.PtrString("interop-role-bucket"), IamRoleId: admin.PtrString(roleID)}
	_, _, err = sdk.CloudBackupsApi.CreateExportBucket(ctx(t), groupID, bucket).Execute()
	if !admin.IsErrorCode(err, "CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED") {
		t.Fatalf("a bucket naming an unauthorized role: want CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED, got %v", err)
	}

	authorized, _, err := sdk.CloudProviderAccessApi.AuthorizeProviderAccessRole(ctx(t), groupID, roleID, &admin.CloudProviderAccessRoleRequestUpdate{ProviderName: "AWS", IamAssumedRoleArn: admin.PtrString(awsRoleARN)}).Execute()
	if err != nil {
		t.Fatalf("AuthorizeProviderAccessRole: %v", err)
	}
	if authorized.GetIamAssumedRoleArn() != awsRoleARN || authorized.AuthorizedDate == nil {
		t.Fatalf("authorized role: %+v", authorized)
	}

	created, _, err := sdk.CloudBackupsApi.CreateExportBucket(ctx(t), groupID, bucket).Execute()
	if err != nil {
		t.Fatalf("CreateExportBucket with the authorized role: %v", err)
	}
	read, _, err := sdk.CloudProviderAccessApi.GetCloudProviderAccess(ctx(t), groupID, roleID).Execute()
	if err != nil {
		t.Fatalf("GetCloudProviderAccess: %v", err)
	}
	usages := read.GetFeatureUsages()
	if len(usages) != 1 || usages[0].GetFeatureType() != "EXPORT_SNAPSHOT" {
		t.Fatalf("featureUsages after the bucket: %+v", usages)
	}
	if _, err := sdk.CloudProviderAccessApi.DeauthorizeProviderAccessRole(ctx(t), groupID, "AWS", roleID).Execute(); !admin.IsErrorCode(err, "CLOUD_PROVIDER_ACCESS_ROLE_IN_USE") {
		t.Fatalf("deauthorizing a role a bucket names: want CLOUD_PROVIDER_ACCESS_ROLE_IN_USE, got %v", err)
	}

	if res, err := sdk.CloudBackupsApi.DeleteExportBucket(ctx(t), groupID, created.GetId()).Execute(); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("DeleteExportBucket: %v (status %v)", err, res)
	}
	if res, err := sdk.CloudProviderAccessApi.DeauthorizeProviderAccessRole(ctx(t), groupID, "AWS", roleID).Execute(); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("DeauthorizeProviderAccessRole: %v (status %v)", err, res)
	}
	if _, _, err := sdk.CloudProviderAccessApi.GetCloudProviderAccess(ctx(t), groupID, roleID).Execute(); !admin.IsErrorCode(err, "CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND") {
		t.Fatalf("GetCloudProviderAccess after deauthorizing: want CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND, got %v", err)
	}
	all, _, err := sdk.CloudProviderAccessApi.ListCloudProviderAccess(ctx(t), groupID).Execute()
	if err != nil {
		t.Fatalf("ListCloudProviderAccess: %v", err)
	}
	aws := all.GetAwsIamRoles()
	if len(aws) != 1 || aws[0].GetRoleId() != "6650a0c1f1d2e3a4b5c6d811" || aws[0].AuthorizedDate == nil {
		t.Fatalf("AWS roles left: %+v", aws)
	}
}

func TestClusterAndProjectReads(t *testing.T) {
	m := startMock(t)
	sdk := serviceAccountClient(t, m)

	cluster, res, err := sdk.ClustersApi.GetCluster(ctx(t), groupID, clusterName).Execute()
	if err != nil {
		t.Fatalf("GetCluster: %v", err)
	}
	if got := res.Header.Get("Content-Type"); got != "application/vnd.atlas.2024-08-05+json;charset=utf-8" {
		t.Errorf("GetCluster Content-Type %q", got)
	}
	if res.Header.Get("RateLimit-Limit") != "10000" {
		t.Errorf("GetCluster RateLimit-Limit %q, want the Clusters set's 10000", res.Header.Get("RateLimit-Limit"))
	}
	region := cluster.GetReplicationSpecs()[0].GetRegionConfigs()[0]
	if cluster.GetStateName() != "IDLE" || !cluster.GetBackupEnabled() || cluster.GetId() == "" || cluster.GetClusterType() != "REPLICASET" ||
		region.GetProviderName() != "AWS" || region.GetRegionName() != "US_EAST_1" || region.ElectableSpecs.GetInstanceSize() != "M10" || region.ElectableSpecs.GetDiskSizeGB() != 10 {
		t.Fatalf("cluster: %+v", cluster)
	}
	if srv := cluster.ConnectionStrings.GetStandardSrv(); !regexp.MustCompile(`^mongodb\+srv://cluster0\.[a-z0-9]{5}\.mongodb\.net$`).MatchString(srv) {
		t.Errorf("standardSrv %q", srv)
	}
	page, _, err := sdk.ClustersApi.ListClusters(ctx(t), groupID).Execute()
	if err != nil {
		t.Fatalf("ListClusters: %v", err)
	}
	if page.GetTotalCount() != 2 || len(page.GetResults()) != 2 || page.GetResults()[1].GetClusterType() != "SHARDED" || len(page.GetResults()[1].GetReplicationSpecs()) != 2 {
		t.Fatalf("clusters page: %+v", page)
	}

	project, _, err := sdk.ProjectsApi.GetGroup(ctx(t), groupID).Execute()
	if err != nil || project.GetName() != "mock-project" || project.GetOrgId() != orgID || project.GetClusterCount() != 2 {
		t.Fatalf("GetGroup: %v %+v", err, project)
	}
	org, _, err := sdk.OrganizationsApi.GetOrg(ctx(t), orgID).Execute()
	if err != nil || org.GetName() != "Mock Org" {
		t.Fatalf("GetOrg: %v %+v", err, org)
	}

	// The flex probes a client makes first answer as Atlas does for a dedicated cluster.
	if _, _, err := sdk.FlexClustersApi.GetFlexCluster(ctx(t), groupID, clusterName).Execute(); !admin.IsErrorCode(err, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API") {
		t.Errorf("GetFlexCluster: want CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API, got %v", err)
	}
	if _, _, err := sdk.FlexSnapshotsApi.ListFlexBackupSnapshots(ctx(t), groupID, clusterName).Execute(); !admin.IsErrorCode(err, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API") {
		t.Errorf("ListFlexBackupSnapshots: want CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API, got %v", err)
	}
	// The boundary: the mock does not delete clusters.
	_, err = sdk.ClustersApi.DeleteCluster(ctx(t), groupID, clusterName).Execute()
	if apiErr, ok := admin.AsError(err); !ok || apiErr.GetError() != http.StatusNotImplemented || apiErr.GetErrorCode() != "OPERATION_NOT_SIMULATED" {
		t.Fatalf("DeleteCluster: want 501 OPERATION_NOT_SIMULATED, got %v", err)
	}
	if again, _, err := sdk.ClustersApi.GetCluster(ctx(t), groupID, clusterName).Execute(); err != nil || again.GetStateName() != "IDLE" {
		t.Fatalf("the cluster after the refused DELETE: %v %+v", err, again)
	}
}
