package serve

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The streaming protocols of exec and attach: kubectl (1.30 and later)
// opens a WebSocket (RFC 6455) offering the subprotocols
// v5.channel.k8s.io, v4.channel.k8s.io...; every binary message starts
// with a channel byte (0 stdin, 1 stdout, 2 stderr, 3 the final status, 4
// terminal resizes), and in v5 a message [255, channel] closes that
// channel (stdin's end of file).

// Stream channels of the channel.k8s.io protocols.
const (
	chanStdin  = 0
	chanStdout = 1
	chanStderr = 2
	chanError  = 3
	chanResize = 4
	chanClose  = 255
)

// Subprotocols the server speaks, preferred first.
const (
	protocolV5 = "v5.channel.k8s.io"
	protocolV4 = "v4.channel.k8s.io"
)

// websocketGUID is RFC 6455's key suffix for the handshake.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// WebSocket opcodes.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// maxFrameBytes bounds one incoming frame (stdin chunks are small).
const maxFrameBytes = 16 << 20

// wsConn is a server-side WebSocket connection speaking a channel.k8s.io
// subprotocol. Writes are serialised; reads happen on one goroutine.
type wsConn struct {
	conn     net.Conn
	rw       *bufio.ReadWriter
	protocol string
	wmu      sync.Mutex
	// started is done once the first frame has waited firstFrameDelay.
	started sync.Once
}

// firstFrameDelay is how long a stream's first frame waits after the
// handshake. kubectl before 1.34 starts reading frames before it has made
// its streams, and drops a frame for a stream it has not made yet
// ("Unknown stream id 3, discarding message": client-go 2f016580e fixed
// it), so an exec whose command fails at once lost its error. A kubelet's
// runtime takes longer than this to start a command, so real clusters
// rarely show it; kubesim's exec is instant and showed it once in a few
// hundred runs. Wall-clock time, at the edge: the simulation does not see
// it.
var firstFrameDelay = 25 * time.Millisecond

// isWebSocket reports whether r asks to upgrade to a WebSocket.
func isWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") &&
		strings.Contains(strings.ToLower(r.Header.Get("Connection")), "upgrade")
}

// upgradeWebSocket completes the handshake, choosing the best subprotocol
// both sides speak.
func upgradeWebSocket(w http.ResponseWriter, r *http.Request) (*wsConn, error) {
	key := r.Header.Get("Sec-WebSocket-Key")
	if key == "" {
		return nil, badRequest("missing Sec-WebSocket-Key")
	}
	protocol := ""
	for _, offered := range strings.Split(r.Header.Get("Sec-WebSocket-Protocol"), ",") {
		p := strings.TrimSpace(offered)
		if p == protocolV5 || (p == protocolV4 && protocol == "") {
			protocol = p
		}
	}
	if protocol == "" {
		return nil, badRequest("unable to upgrade: no subprotocol kubesim speaks among %q (it speaks %s, %s)",
			r.Header.Get("Sec-WebSocket-Protocol"), protocolV5, protocolV4)
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, internalError(errors.New("the connection cannot be upgraded"))
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return nil, internalError(err)
	}
	sum := sha1.Sum([]byte(key + websocketGUID))
	fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: %s\r\n\r\n", base64.StdEncoding.EncodeToString(sum[:]), protocol)
	if err := rw.Flush(); err != nil {
		conn.Close()
		return nil, err
	}
	return &wsConn{conn: conn, rw: rw, protocol: protocol}, nil
}

// writeFrame sends one unmasked frame.
func (c *wsConn) writeFrame(op byte, payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	header := []byte{0x80 | op}
	switch n := len(payload); {
	case n < 126:
		header = append(header, byte(n))
	case n < 1<<16:
		header = append(header, 126, byte(n>>8), byte(n))
	default:
		header = append(header, 127)
		header = binary.BigEndian.AppendUint64(header, uint64(n))
	}
	if _, err := c.rw.Write(header); err != nil {
		return err
	}
	if _, err := c.rw.Write(payload); err != nil {
		return err
	}
	return c.rw.Flush()
}

// send writes data on a stream channel.
func (c *wsConn) send(channel byte, data []byte) error {
	c.settle()
	return c.writeFrame(opBinary, append([]byte{channel}, data...))
}

// settle waits out firstFrameDelay once, before the first frame. A caller
// about to take the server's lock and send under it (a terminal session)
// settles first, so that no one waits on the lock for the delay.
func (c *wsConn) settle() { c.started.Do(func() { time.Sleep(firstFrameDelay) }) }

// close sends a normal closure and closes the connection.
func (c *wsConn) close() {
	_ = c.writeFrame(opClose, []byte{0x03, 0xE8}) // 1000: normal closure
	_ = c.conn.Close()
}

// readMessage reads the next data message, answering pings and
// reassembling fragments; io.EOF when the client closed.
func (c *wsConn) readMessage() ([]byte, error) {
	var msg []byte
	for {
		fin, op, payload, err := c.readFrame()
		if err != nil {
			return nil, err
		}
		switch op {
		case opClose:
			return nil, io.EOF
		case opPing:
			if err := c.writeFrame(opPong, payload); err != nil {
				return nil, err
			}
			continue
		case opPong:
			continue
		}
		msg = append(msg, payload...)
		if fin {
			return msg, nil
		}
	}
}

// readFrame reads one (masked) client frame.
func (c *wsConn) readFrame() (fin bool, op byte, payload []byte, err error) {
	var head [2]byte
	if _, err = io.ReadFull(c.rw, head[:]); err != nil {
		return
	}
	fin, op = head[0]&0x80 != 0, head[0]&0x0F
	masked := head[1]&0x80 != 0
	n := uint64(head[1] & 0x7F)
	switch n {
	case 126:
		var ext [2]byte
		if _, err = io.ReadFull(c.rw, ext[:]); err != nil {
			return
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err = io.ReadFull(c.rw, ext[:]); err != nil {
			return
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > maxFrameBytes {
		return false, 0, nil, fmt.Errorf("websocket frame of %d bytes is over the limit", n)
	}
	var mask [4]byte
	if masked {
		if _, err = io.ReadFull(c.rw, mask[:]); err != nil {
			return
		}
	}
	payload = make([]byte, n)
	if _, err = io.ReadFull(c.rw, payload); err != nil {
		return
	}
	if masked {
		for i := range payload {
			payload[i] ^= mask[i%4]
		}
	}
	return fin, op, payload, nil
}
