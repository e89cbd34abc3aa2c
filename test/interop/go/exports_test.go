package interop

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/atlas-sdk/v20250312020/admin"
)

// digestClient: API keys, HTTP Digest (the SDK's own transport, github.com/mongodb-forks/digest).
func digestClient(t *testing.T, m *Mock) *admin.APIClient {
	t.Helper()
	sdk, err := admin.NewClient(admin.UseBaseURL(m.URL), admin.UseDigestAuth(publicKey, privateKey))
	if err != nil {
		t.Fatal(err)
	}
	return sdk
}

// serviceAccountClient: OAuth client credentials. UseBaseURL must come first: UseOAuthAuth derives the
// token URL (/api/oauth/token) from the base URL set at that moment (docs/authentication.md).
func serviceAccountClient(t *testing.T, m *Mock) *admin.APIClient {
	t.Helper()
	sdk, err := admin.NewClient(admin.UseBaseURL(m.URL), admin.UseOAuthAuth(context.Background(), clientID, clientSecret))
	if err != nil {
		t.Fatal(err)
	}
	return sdk
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

var terminal = []string{"Successful", "Failed", "Cancelled"}

// createExport creates an export job of the snapshot ready to export (804) to the bucket 810.
func createExport(t *testing.T, sdk *admin.APIClient) *admin.DiskBackupExportJob {
	t.Helper()
	job, res, err := sdk.CloudBackupsApi.CreateBackupExport(ctx(t), groupID, clusterName, &admin.DiskBackupExportJobRequest{
		SnapshotId:     snapshotID,
		ExportBucketId: exportBucketID,
		CustomData:     &[]admin.BackupLabel{{Key: admin.PtrString("suite"), Value: admin.PtrString("interop-go")}},
	}).Execute()
	if err != nil {
		t.Fatalf("CreateBackupExport: %v", err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("CreateBackupExport: status %d, want 200", res.StatusCode)
	}
	if job.GetId() == "" || job.GetState() != "Queued" || job.GetSnapshotId() != snapshotID || job.GetExportBucketId() != exportBucketID {
		t.Fatalf("created job: id %q state %q snapshot %q bucket %q", job.GetId(), job.GetState(), job.GetSnapshotId(), job.GetExportBucketId())
	}
	return job
}

// pollUntilDone reads the job with GetBackupExport, moving the mock clock 5 minutes between reads, until it
// reaches a terminal state. It returns the states seen, in order, and the last job read.
func pollUntilDone(t *testing.T, m *Mock, sdk *admin.APIClient, exportID string) ([]string, *admin.DiskBackupExportJob) {
	t.Helper()
	var states []string
	for range 20 {
		job, _, err := sdk.CloudBackupsApi.GetBackupExport(ctx(t), groupID, clusterName, exportID).Execute()
		if err != nil {
			t.Fatalf("GetBackupExport %s: %v", exportID, err)
		}
		if len(states) == 0 || states[len(states)-1] != job.GetState() {
			states = append(states, job.GetState())
		}
		if slices.Contains(terminal, job.GetState()) {
			return states, job
		}
		m.Advance(t, "PT5M")
	}
	t.Fatalf("job %s not finished after 100 minutes of mock time; states %v", exportID, states)
	return nil, nil
}

func assertSuccessful(t *testing.T, m *Mock, sdk *admin.APIClient) {
	t.Helper()
	created := createExport(t, sdk)
	states, job := pollUntilDone(t, m, sdk, created.GetId())
	if want := []string{"Queued", "InProgress", "Successful"}; !slices.Equal(states, want) {
		t.Fatalf("states %v, want %v", states, want)
	}
	status := job.GetExportStatus()
	if status.GetTotalCollections() == 0 || status.GetExportedCollections() != status.GetTotalCollections() {
		t.Errorf("exportStatus %d/%d, want all collections exported", status.GetExportedCollections(), status.GetTotalCollections())
	}
	if job.FinishedAt == nil || !job.FinishedAt.After(job.GetCreatedAt()) {
		t.Errorf("finishedAt %v, createdAt %v", job.FinishedAt, job.GetCreatedAt())
	}
	if !strings.Contains(job.GetPrefix(), groupID) || !strings.Contains(job.GetPrefix(), clusterName) {
		t.Errorf("prefix %q does not name the project and the cluster", job.GetPrefix())
	}
	if labels := job.GetCustomData(); len(labels) != 1 || labels[0].GetKey() != "suite" || labels[0].GetValue() != "interop-go" {
		t.Errorf("customData %+v", labels)
	}

	// The finished job is in the list too.
	page, _, err := sdk.CloudBackupsApi.ListBackupExports(ctx(t), groupID, clusterName).IncludeCount(true).ItemsPerPage(500).Execute()
	if err != nil {
		t.Fatalf("ListBackupExports: %v", err)
	}
	found := slices.ContainsFunc(page.GetResults(), func(j admin.DiskBackupExportJob) bool {
		return j.GetId() == job.GetId() && j.GetState() == "Successful"
	})
	if !found || page.GetTotalCount() < len(page.GetResults()) {
		t.Errorf("list: job %s Successful found=%v, totalCount %d for %d results", job.GetId(), found, page.GetTotalCount(), len(page.GetResults()))
	}
}

func TestDigestExportSucceeds(t *testing.T) {
	m := startMock(t)
	assertSuccessful(t, m, digestClient(t, m))
}

func TestServiceAccountExportSucceeds(t *testing.T) {
	m := startMock(t)
	assertSuccessful(t, m, serviceAccountClient(t, m))

	// The journal shows that the SDK authenticated as the service account, not by any other way.
	var journal struct {
		Requests []struct {
			Operation *string `json:"operation"`
			Principal *string `json:"principal"`
			Status    int     `json:"status"`
		} `json:"requests"`
	}
	m.Control(t, http.MethodGet, "/requests?operation=getBackupExport", nil, &journal)
	if len(journal.Requests) == 0 {
		t.Fatal("the journal has no getBackupExport request")
	}
	for _, r := range journal.Requests {
		if r.Principal == nil || !strings.Contains(*r.Principal, clientID) || r.Status != http.StatusOK {
			t.Errorf("getBackupExport answered %d to principal %v, want 200 to %s", r.Status, r.Principal, clientID)
		}
	}
}

func TestExportFailsOnDemand(t *testing.T) {
	m := startMock(t)
	for _, c := range []struct {
		name string
		sdk  func(*testing.T, *Mock) *admin.APIClient
	}{{"digest", digestClient}, {"service account", serviceAccountClient}} {
		t.Run(c.name, func(t *testing.T) {
			// The next export created on Cluster0 fails (control API).
			m.Control(t, http.MethodPost, "/plans/next", map[string]any{
				"groupId":     groupID,
				"clusterName": clusterName,
				"plan": map[string]any{
					"outcome":     "Failed",
					"stateReason": map[string]any{"errorCode": "EXPORT_FAILED_BUCKET_ACCESS", "message": "Access denied to the export bucket."},
				},
			}, nil)
			sdk := c.sdk(t, m)
			created := createExport(t, sdk)
			states, job := pollUntilDone(t, m, sdk, created.GetId())
			if states[len(states)-1] != "Failed" || states[0] != "Queued" {
				t.Fatalf("states %v, want Queued … Failed", states)
			}
			reason := job.GetStateReason()
			if reason.GetErrorCode() != "EXPORT_FAILED_BUCKET_ACCESS" || reason.GetMessage() != "Access denied to the export bucket." {
				t.Errorf("stateReason %q %q", reason.GetErrorCode(), reason.GetMessage())
			}
			if job.FinishedAt == nil {
				t.Error("a failed job has no finishedAt")
			}
		})
	}
}

func TestUnknownExportIsAnApiError(t *testing.T) {
	m := startMock(t)
	const unknown = "6650a0c1f1d2e3a4b5c6dfff"
	for _, c := range []struct {
		name string
		sdk  func(*testing.T, *Mock) *admin.APIClient
	}{{"digest", digestClient}, {"service account", serviceAccountClient}} {
		t.Run(c.name, func(t *testing.T) {
			_, res, err := c.sdk(t, m).CloudBackupsApi.GetBackupExport(ctx(t), groupID, clusterName, unknown).Execute()
			if err == nil {
				t.Fatal("GetBackupExport of an unknown id: no error")
			}
			if !admin.IsErrorCode(err, "RESOURCE_NOT_FOUND") {
				t.Errorf("IsErrorCode(RESOURCE_NOT_FOUND) is false for %v", err)
			}
			apiErr, ok := admin.AsError(err)
			if !ok {
				t.Fatalf("AsError: not an ApiError: %v", err)
			}
			if apiErr.GetError() != http.StatusNotFound || apiErr.GetReason() != "Not Found" || apiErr.GetDetail() != "Cannot find resource "+unknown+"." {
				t.Errorf("ApiError %d %q %q", apiErr.GetError(), apiErr.GetReason(), apiErr.GetDetail())
			}
			if params := apiErr.GetParameters(); len(params) != 1 || params[0] != unknown {
				t.Errorf("parameters %v, want [%s]", params, unknown)
			}
			if res == nil || res.StatusCode != http.StatusNotFound {
				t.Errorf("response %v, want 404", res)
			}
		})
	}

	// An unknown project: GROUP_NOT_FOUND, through the same helpers.
	_, _, err := digestClient(t, m).CloudBackupsApi.GetBackupExport(ctx(t), "6650a0c1f1d2e3a4b5c6dfff", clusterName, unknown).Execute()
	if apiErr, ok := admin.AsError(err); !ok || apiErr.GetErrorCode() != "GROUP_NOT_FOUND" || apiErr.GetError() != http.StatusNotFound {
		t.Errorf("unknown project: %v", err)
	}
}

func TestRateLimitedSeenThroughTheSDK(t *testing.T) {
	// A bucket of 3 requests refilled by 1 per hour of mock time (the clock does not move here).
	m := startMock(t, "--rate-limit-capacity", "3", "--rate-limit-refill", "1", "--rate-limit-period", "1h")
	sdk := digestClient(t, m)
	get := func() (*http.Response, error) {
		_, res, err := sdk.CloudBackupsApi.GetBackupExport(ctx(t), groupID, clusterName, "6650a0c1f1d2e3a4b5c6d822").Execute()
		return res, err
	}
	// The Digest challenges (401) do not drain the bucket: three requests pass.
	for i, remaining := range []string{"2", "1", "0"} {
		res, err := get()
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		if got := res.Header.Get("RateLimit-Remaining"); got != remaining || res.Header.Get("RateLimit-Limit") != "3" {
			t.Errorf("request %d: RateLimit-Remaining %q (want %s), RateLimit-Limit %q", i+1, got, remaining, res.Header.Get("RateLimit-Limit"))
		}
	}
	res, err := get()
	if err == nil {
		t.Fatal("the fourth request passed a bucket of 3")
	}
	if !admin.IsErrorCode(err, "RATE_LIMITED_TOKEN_BUCKET") {
		t.Errorf("IsErrorCode(RATE_LIMITED_TOKEN_BUCKET) is false for %v", err)
	}
	if apiErr, ok := admin.AsError(err); !ok || apiErr.GetError() != http.StatusTooManyRequests || !strings.Contains(apiErr.GetDetail(), "Request capacity: 3.") {
		t.Errorf("ApiError %+v", apiErr)
	}
	if res == nil || res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("response %v, want 429 with Retry-After", res)
	}

	// Time refills the bucket: one hour of mock time later, one request passes again. Needs the control API.
	m.Advance(t, "PT1H")
	if _, err := get(); err != nil {
		t.Errorf("after the refill: %v", err)
	}
}
