package timeline_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kubesim/kubesim/timeline"
)

// chromiumFlags start headless Chromium on a machine with no network: no
// sandbox (root), no GPU, and none of the background connections that
// would be refused.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--window-size=1200,900", "--hide-scrollbars",
}

// TestHTMLInChromium opens the tutorial's backoff scene and a 400-pod Job
// (wideTimeline, built without a simulation to keep the test short) as
// pages in headless Chromium (through ChromeDriver's WebDriver API),
// screenshots them, and checks that they drew without script errors, with
// one bar per pod, that hovering a bar shows its details, that a block
// collapses and that zoom widens the plot. CI installs Debian's chromium
// and chromium-driver (.ci/run); elsewhere the test is skipped without
// them. KUBESIM_SCREENSHOTS=DIR keeps the screenshots.
func TestHTMLInChromium(t *testing.T) {
	wd := startWebDriver(t)
	shots := os.Getenv("KUBESIM_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	t.Run("job-backoff", func(t *testing.T) {
		tl, err := timeline.FromTrace(recordExample(t, "../examples/job-backoff/job-backoff.txt"))
		require.NoError(t, err)
		page := writePage(t, tl)
		wd.open(t, page)
		wd.screenshot(t, filepath.Join(shots, "job-backoff.png"))
		state := wd.pageState(t)
		assert.Equal(t, "ok", state.Rendered)
		assert.Empty(t, state.Errors, "script errors")
		assert.Equal(t, 5, state.Bars, "one bar per pod: five failed pods")
		assert.Equal(t, 5, state.Labels-3, "five pod names and three nodes")
		assert.Empty(t, wd.severeLogs(t), "the browser's console")

		wd.hover(t, `g.bar.pod[data-name="fail-czpxm"] rect.seg:last-child`)
		tip := wd.eval(t, `var t = document.getElementById("tip"); return t.hidden ? "" : t.textContent;`)
		assert.Contains(t, tip, "fail-czpxm: Error from")
		assert.Contains(t, tip, "node k8s-node1")

		wd.click(t, `text.heading[data-block="owner:0"]`)
		after := wd.pageState(t)
		assert.Equal(t, 5, after.Bars, "a collapsed block still draws its bars, thin")
		assert.Equal(t, 3, after.Labels, "but not the pods' names")
		wd.screenshot(t, filepath.Join(shots, "job-backoff-collapsed.png"))

		before := wd.eval(t, `return document.getElementById("plot-svg").getAttribute("width");`)
		wd.click(t, `#zoom-in`)
		wd.click(t, `#zoom-in`)
		zoomed := wd.eval(t, `return document.getElementById("plot-svg").getAttribute("width");`)
		assert.Equal(t, "2.25", wd.eval(t, `return document.body.dataset.zoom;`))
		assert.Greater(t, atoi(zoomed), 2*atoi(before), "two zoom steps widen the plot 2.25 times")
	})

	t.Run("400 pods", func(t *testing.T) {
		page := writePage(t, wideTimeline())
		wd.open(t, page)
		wd.screenshot(t, filepath.Join(shots, "wide-job.png"))
		state := wd.pageState(t)
		assert.Equal(t, "ok", state.Rendered)
		assert.Empty(t, state.Errors)
		assert.Equal(t, 400, state.Bars)
		assert.Equal(t, 3, state.Labels, "the 400-pod block starts collapsed: only the nodes are named")
		wd.click(t, `#expand-all`)
		assert.Equal(t, 403, wd.pageState(t).Labels)
		wd.click(t, `#collapse-all`)
		wd.eval(t, `document.getElementById("group-by").value = "node"; document.getElementById("group-by").dispatchEvent(new Event("change")); return "";`)
		byNode := wd.pageState(t)
		assert.Equal(t, 400, byNode.Bars, "grouped by node, every pod is still drawn once")
		heads := wd.eval(t, `return Array.from(document.querySelectorAll("text.heading")).map(function (e) { return e.textContent; }).join("|");`)
		assert.Contains(t, heads, "Node k8s-node1 (")
		assert.Contains(t, heads, "Node k8s-node2 (")
		wd.screenshot(t, filepath.Join(shots, "wide-job-by-node.png"))
		assert.Empty(t, wd.severeLogs(t))
	})
}

func atoi(s string) int {
	var n int
	fmt.Sscanf(s, "%d", &n)
	return n
}

// writePage writes a timeline's page to a temporary file.
func writePage(t *testing.T, tl *timeline.Timeline) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, tl.HTML(&b))
	file := filepath.Join(t.TempDir(), "timeline.html")
	require.NoError(t, os.WriteFile(file, b.Bytes(), 0o644))
	return file
}

// webDriver is a ChromeDriver session.
type webDriver struct {
	base    string
	session string
}

// startWebDriver starts chromedriver on a free loopback port and a
// headless Chromium session, both stopped when the test ends.
func startWebDriver(t *testing.T) *webDriver {
	t.Helper()
	chromium, err1 := exec.LookPath("chromium")
	driver, err2 := exec.LookPath("chromedriver")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI needs chromium and chromedriver (Debian's chromium and chromium-driver; .ci/run installs them)")
		}
		t.Skip("chromium or chromedriver not installed (apt-get install chromium chromium-driver)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(driver, fmt.Sprintf("--port=%d", port), "--allowed-ips=127.0.0.1")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	wd := &webDriver{base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var status struct {
			Value struct{ Ready bool } `json:"value"`
		}
		if err := wd.call("GET", "/status", nil, &status); err == nil && status.Value.Ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("chromedriver did not start: %s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	args := append([]string{"--user-data-dir=" + t.TempDir()}, chromiumFlags...)
	var created struct {
		Value struct {
			SessionID string `json:"sessionId"`
		} `json:"value"`
	}
	err = wd.call("POST", "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":        "chrome",
		"goog:chromeOptions": map[string]any{"binary": chromium, "args": args},
		"goog:loggingPrefs":  map[string]any{"browser": "ALL"},
	}}}, &created)
	require.NoError(t, err, "new session: %s", logs.String())
	wd.session = "/session/" + created.Value.SessionID
	t.Cleanup(func() { _ = wd.call("DELETE", wd.session, nil, nil) })
	return wd
}

// call makes one WebDriver request and decodes its answer into out.
func (wd *webDriver) call(method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, wd.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func (wd *webDriver) open(t *testing.T, file string) {
	t.Helper()
	require.NoError(t, wd.call("POST", wd.session+"/url", map[string]any{"url": "file://" + file}, nil))
}

// eval runs a script in the page and returns its result as text.
func (wd *webDriver) eval(t *testing.T, script string) string {
	t.Helper()
	var out struct {
		Value any `json:"value"`
	}
	require.NoError(t, wd.call("POST", wd.session+"/execute/sync", map[string]any{"script": script, "args": []any{}}, &out))
	return fmt.Sprint(out.Value)
}

// pageInfo is what the page says of itself after drawing.
type pageInfo struct {
	Rendered, Errors string
	Bars, Labels     int
}

func (wd *webDriver) pageState(t *testing.T) pageInfo {
	t.Helper()
	return pageInfo{
		Rendered: wd.eval(t, `return document.body.dataset.rendered || "";`),
		Errors:   wd.eval(t, `return document.getElementById("errors").hidden ? "" : document.getElementById("errors").textContent;`),
		Bars:     atoi(wd.eval(t, `return document.querySelectorAll("#plot g.bar.pod").length;`)),
		Labels:   atoi(wd.eval(t, `return document.querySelectorAll("#labels text.label").length;`)),
	}
}

// element finds the first element a CSS selector matches.
func (wd *webDriver) element(t *testing.T, css string) string {
	t.Helper()
	var out struct {
		Value map[string]string `json:"value"`
	}
	require.NoError(t, wd.call("POST", wd.session+"/element", map[string]any{"using": "css selector", "value": css}, &out))
	for _, id := range out.Value {
		return id
	}
	t.Fatalf("no element %s", css)
	return ""
}

func (wd *webDriver) click(t *testing.T, css string) {
	t.Helper()
	require.NoError(t, wd.call("POST", wd.session+"/element/"+wd.element(t, css)+"/click", map[string]any{}, nil))
}

// hover moves the pointer onto an element's centre.
func (wd *webDriver) hover(t *testing.T, css string) {
	t.Helper()
	id := wd.element(t, css)
	origin := map[string]string{"element-6066-11e4-a52e-4f735466cecf": id}
	require.NoError(t, wd.call("POST", wd.session+"/actions", map[string]any{"actions": []any{map[string]any{
		"type": "pointer", "id": "mouse", "parameters": map[string]any{"pointerType": "mouse"},
		"actions": []any{map[string]any{"type": "pointerMove", "duration": 0, "origin": origin, "x": 0, "y": 0}},
	}}}, nil))
}

func (wd *webDriver) screenshot(t *testing.T, file string) {
	t.Helper()
	var out struct {
		Value string `json:"value"`
	}
	require.NoError(t, wd.call("GET", wd.session+"/screenshot", nil, &out))
	png, err := base64.StdEncoding.DecodeString(out.Value)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(png, []byte("\x89PNG")), "a PNG")
	require.NoError(t, os.WriteFile(file, png, 0o644))
}

// severeLogs returns the browser console's errors.
func (wd *webDriver) severeLogs(t *testing.T) []string {
	t.Helper()
	var out struct {
		Value []struct {
			Level, Message string
		} `json:"value"`
	}
	require.NoError(t, wd.call("POST", wd.session+"/se/log", map[string]any{"type": "browser"}, &out))
	var severe []string
	for _, e := range out.Value {
		if e.Level == "SEVERE" && !strings.Contains(e.Message, "favicon.ico") {
			severe = append(severe, e.Message)
		}
	}
	return severe
}
