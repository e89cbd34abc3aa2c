// Interop suite: the official Atlas Go SDK (go.mongodb.org/atlas-sdk) against atlas-export-mock.
//
// Each test starts its own mock (`node ../../../dist/cli.js --port 0 --clock manual`, or MOCK_CLI / NODE)
// and reads its URL from the start-up banner, so tests never share a clock or a rate-limit bucket. With
// MOCK_URL set (e.g. the compose sidecar, docs/docker.md), the tests use that mock instead, reset it first
// through the control API, and skip the cases that need start-up flags of their own.
package interop

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The default dataset (fixtures/default) of the mock; overridable for a mock that loads other fixtures.
var (
	groupID        = env("MOCK_GROUP_ID", "6650a0c1f1d2e3a4b5c6d7e1")
	clusterName    = env("MOCK_CLUSTER_NAME", "Cluster0")
	snapshotID     = env("MOCK_SNAPSHOT_ID", "6650a0c1f1d2e3a4b5c6d804")
	exportBucketID = env("MOCK_EXPORT_BUCKET_ID", "6650a0c1f1d2e3a4b5c6d810")
	publicKey      = env("MONGODB_ATLAS_PUBLIC_KEY", "mockownr")
	privateKey     = env("MONGODB_ATLAS_PRIVATE_KEY", "11111111-2222-4333-8444-555555555555")
	clientID       = env("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id_6650a0c1f1d2e3a4b5c6d830")
	clientSecret   = env("MONGODB_ATLAS_CLIENT_SECRET", "mdb_sa_sk_mockmockmockmockmockmockmockmock")
)

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// Mock is one running atlas-export-mock and a client of its control API (/__mock).
type Mock struct {
	URL        string
	adminToken string
	// control is a client of our own: admin.UseOAuthAuth changes http.DefaultClient's transport.
	control *http.Client
	cmd     *exec.Cmd
	output  *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// startMock starts a mock with a manual clock and the extra flags given, or returns the external one of
// MOCK_URL (reset first) when no flags are needed. The mock stops when the test ends.
func startMock(t *testing.T, flags ...string) *Mock {
	t.Helper()
	if external := os.Getenv("MOCK_URL"); external != "" {
		if len(flags) > 0 {
			t.Skipf("needs a mock started with %v; MOCK_URL points at an external one", flags)
		}
		m := &Mock{URL: strings.TrimSuffix(external, "/"), adminToken: os.Getenv("MOCK_ADMIN_TOKEN"), control: &http.Client{Timeout: 10 * time.Second}}
		m.Control(t, http.MethodPost, "/reset", nil, nil)
		m.Control(t, http.MethodPost, "/clock", map[string]any{"mode": "manual"}, nil)
		return m
	}
	cli := env("MOCK_CLI", "../../../dist/cli.js")
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the mock is not built (%v): run `npm run build` in the project root, or set MOCK_CLI or MOCK_URL", err)
	}
	args := append([]string{cli, "--port", "0", "--host", "127.0.0.1", "--clock", "manual", "--log-level", "warn"}, flags...)
	cmd := exec.Command(env("NODE", "node"), args...)
	cmd.Env = cleanEnv()
	out := &syncBuffer{}
	cmd.Stderr = out
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start the mock (%s %v): %v", cmd.Path, args, err)
	}
	m := &Mock{cmd: cmd, output: out, control: &http.Client{Timeout: 10 * time.Second}}
	t.Cleanup(func() { m.stop(t) })

	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			line := scanner.Text()
			fmt.Fprintln(out, line)
			if match := listening.FindStringSubmatch(line); match != nil {
				select {
				case found <- match[1]:
				default:
				}
			}
		}
	}()
	select {
	case m.URL = <-found:
	case <-time.After(15 * time.Second):
		t.Fatalf("the mock did not print its URL within 15 s; output:\n%s", out)
	}
	return m
}

// cleanEnv passes the environment on without the ATLAS_MOCK_* and PORT/HOST variables of the caller, which
// would change the mock's options behind the test's back.
func cleanEnv() []string {
	var kept []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "ATLAS_MOCK_") || name == "PORT" || name == "HOST" {
			continue
		}
		kept = append(kept, kv)
	}
	return kept
}

func (m *Mock) stop(t *testing.T) {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- m.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
		t.Errorf("the mock did not stop within 5 s of SIGTERM")
	}
	if t.Failed() {
		t.Logf("mock output:\n%s", m.output)
	}
}

// Control calls the control API: method, path under /__mock, JSON body (or nil); decodes the answer into
// out (or ignores it when nil). Any status above 299 fails the test.
func (m *Mock) Control(t *testing.T, method, path string, body any, out any) {
	t.Helper()
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, m.URL+"/__mock"+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if m.adminToken != "" {
		req.Header.Set("X-Mock-Admin-Token", m.adminToken)
	}
	res, err := m.control.Do(req)
	if err != nil {
		t.Fatalf("%s /__mock%s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode > 299 {
		t.Fatalf("%s /__mock%s: %s %s", method, path, res.Status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s /__mock%s: cannot decode %q: %v", method, path, data, err)
		}
	}
}

// Advance moves the mock clock forward (an ISO-8601 duration such as PT5M) and returns the new mock time.
func (m *Mock) Advance(t *testing.T, by string) time.Time {
	t.Helper()
	var clock struct {
		Now  time.Time `json:"now"`
		Mode string    `json:"mode"`
	}
	m.Control(t, http.MethodPost, "/clock", map[string]any{"advanceBy": by}, &clock)
	if clock.Mode != "manual" {
		t.Fatalf("the mock clock is %q, want manual", clock.Mode)
	}
	return clock.Now
}
