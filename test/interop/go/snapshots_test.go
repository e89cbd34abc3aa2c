package interop

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/atlas-sdk/v20250312020/admin"
)

// TestTakeAndWatchSnapshot takes an on-demand snapshot with TakeSnapshots, watches it with
// GetClusterBackupSnapshot as the mock clock moves (queued, inProgress, completed), finds it in
// ListBackupSnapshots, deletes it, and reads the 404 as an ApiError.
func TestTakeAndWatchSnapshot(t *testing.T) {
	m := startMock(t)
	sdk := digestClient(t, m)
	taken, res, err := sdk.CloudBackupsApi.TakeSnapshots(ctx(t), groupID, clusterName, &admin.DiskBackupOnDemandSnapshotRequest{
		Description:     admin.PtrString("interop-go"),
		RetentionInDays: admin.PtrInt(2),
	}).Execute()
	if err != nil {
		t.Fatalf("TakeSnapshots: %v", err)
	}
	if res.StatusCode != http.StatusOK || taken.GetStatus() != "queued" || taken.GetSnapshotType() != "onDemand" || taken.GetType() != "replicaSet" {
		t.Fatalf("taken: status %d, %q %q %q", res.StatusCode, taken.GetStatus(), taken.GetSnapshotType(), taken.GetType())
	}

	var statuses []string
	var snapshot *admin.DiskBackupReplicaSet
	for range 20 {
		snapshot, _, err = sdk.CloudBackupsApi.GetClusterBackupSnapshot(ctx(t), groupID, clusterName, taken.GetId()).Execute()
		if err != nil {
			t.Fatalf("GetClusterBackupSnapshot: %v", err)
		}
		if len(statuses) == 0 || statuses[len(statuses)-1] != snapshot.GetStatus() {
			statuses = append(statuses, snapshot.GetStatus())
		}
		if snapshot.GetStatus() == "completed" || snapshot.GetStatus() == "failed" {
			break
		}
		m.Advance(t, "PT30S")
	}
	if !slices.Equal(statuses, []string{"queued", "inProgress", "completed"}) {
		t.Fatalf("statuses seen %v, want queued, inProgress, completed", statuses)
	}
	if snapshot.CreatedAt == nil || snapshot.GetStorageSizeBytes() == 0 || snapshot.GetMongodVersion() == "" || snapshot.GetCloudProvider() == "" {
		t.Errorf("completed snapshot misses fields: %+v", snapshot)
	}
	// Kept two days from its completion.
	if got := snapshot.GetExpiresAt().Sub(snapshot.GetCreatedAt()); got < 48*time.Hour || got > 48*time.Hour+5*time.Minute {
		t.Errorf("expiresAt - createdAt = %v, want about 48 h", got)
	}

	page, _, err := sdk.CloudBackupsApi.ListBackupSnapshots(ctx(t), groupID, clusterName).ItemsPerPage(500).Execute()
	if err != nil {
		t.Fatalf("ListBackupSnapshots: %v", err)
	}
	if !slices.ContainsFunc(page.GetResults(), func(s admin.DiskBackupReplicaSet) bool { return s.GetId() == taken.GetId() }) {
		t.Errorf("the list (%d of %d) does not hold snapshot %s", len(page.GetResults()), page.GetTotalCount(), taken.GetId())
	}

	if res, err := sdk.CloudBackupsApi.DeleteClusterBackupSnapshot(ctx(t), groupID, clusterName, taken.GetId()).Execute(); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("DeleteClusterBackupSnapshot: %v (status %v)", err, res)
	}
	_, _, err = sdk.CloudBackupsApi.GetClusterBackupSnapshot(ctx(t), groupID, clusterName, taken.GetId()).Execute()
	if apiErr, ok := admin.AsError(err); !ok || apiErr.GetErrorCode() != "SNAPSHOT_NOT_FOUND" || apiErr.GetError() != 404 {
		t.Errorf("GET after DELETE: %v, want a 404 SNAPSHOT_NOT_FOUND ApiError", err)
	}
}

// TestScheduleExportsByItself sets a backup schedule with a daily policy item and an export policy (the
// Terraform provider's resource does the same with UpdateBackupSchedule at 2024-08-05), lets a day of
// mock time pass, and finds the export job Atlas would have started by itself for the daily snapshot:
// listed, readable, Successful, its snapshot a scheduled daily one.
func TestScheduleExportsByItself(t *testing.T) {
	m := startMock(t)
	// Digest: a day of mock time passes, longer than a service-account token lives (1 h of mock time).
	sdk := digestClient(t, m)
	current, _, err := sdk.CloudBackupsApi.GetBackupSchedule(ctx(t), groupID, clusterName).Execute()
	if err != nil {
		t.Fatalf("GetBackupSchedule: %v", err)
	}
	if len(current.GetPolicies()) != 1 {
		t.Fatalf("policies %+v, want one", current.GetPolicies())
	}
	set, _, err := sdk.CloudBackupsApi.UpdateBackupSchedule(ctx(t), groupID, clusterName, &admin.DiskBackupSnapshotSchedule20240805{
		AutoExportEnabled: admin.PtrBool(true),
		Export:            &admin.AutoExportPolicy{ExportBucketId: admin.PtrString(exportBucketID), FrequencyType: admin.PtrString("daily")},
		Policies: []admin.AdvancedDiskBackupSnapshotSchedulePolicy{{
			Id:          current.GetPolicies()[0].Id,
			PolicyItems: []admin.DiskBackupApiPolicyItem{{FrequencyType: "daily", FrequencyInterval: 1, RetentionUnit: "days", RetentionValue: 7}},
		}},
	}).Execute()
	if err != nil {
		t.Fatalf("UpdateBackupSchedule: %v", err)
	}
	items := set.GetPolicies()[0].GetPolicyItems()
	if !set.GetAutoExportEnabled() || set.Export.GetExportBucketId() != exportBucketID || len(items) != 1 || items[0].GetId() == "" || set.NextSnapshot == nil {
		t.Fatalf("schedule after update: %+v", set)
	}
	changedAt := m.Advance(t, "PT0S")
	// To an hour past the first daily snapshot, not a fixed day: with a fixed 25 hours a second daily
	// snapshot (and its export) falls in the window whenever the first one is less than an hour away, which
	// depends on the mock clock's start (the wall time for a shared world).
	m.Advance(t, fmt.Sprintf("PT%dS", int64(set.GetNextSnapshot().Sub(changedAt).Seconds())+3600))

	page, _, err := sdk.CloudBackupsApi.ListBackupExports(ctx(t), groupID, clusterName).ItemsPerPage(500).Execute()
	if err != nil {
		t.Fatalf("ListBackupExports: %v", err)
	}
	var auto []admin.DiskBackupExportJob
	for _, j := range page.GetResults() {
		if j.GetCreatedAt().After(changedAt) {
			auto = append(auto, j)
		}
	}
	if len(auto) != 1 {
		t.Fatalf("export jobs created after the schedule changed: %d, want 1 (the daily snapshot's)", len(auto))
	}
	job, _, err := sdk.CloudBackupsApi.GetBackupExport(ctx(t), groupID, clusterName, auto[0].GetId()).Execute()
	if err != nil {
		t.Fatalf("GetBackupExport %s: %v", auto[0].GetId(), err)
	}
	if job.GetState() != "Successful" || job.GetExportBucketId() != exportBucketID || job.FinishedAt == nil {
		t.Errorf("auto-export job: state %q bucket %q finishedAt %v", job.GetState(), job.GetExportBucketId(), job.FinishedAt)
	}
	snapshot, _, err := sdk.CloudBackupsApi.GetClusterBackupSnapshot(ctx(t), groupID, clusterName, job.GetSnapshotId()).Execute()
	if err != nil {
		t.Fatalf("GetClusterBackupSnapshot %s: %v", job.GetSnapshotId(), err)
	}
	if snapshot.GetSnapshotType() != "scheduled" || snapshot.GetFrequencyType() != "daily" || !slices.Equal(snapshot.GetPolicyItems(), []string{items[0].GetId()}) {
		t.Errorf("exported snapshot: %q %q %v", snapshot.GetSnapshotType(), snapshot.GetFrequencyType(), snapshot.GetPolicyItems())
	}
}
