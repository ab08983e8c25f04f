// Command tlogclient checks a tally instance's transparency log the way
// any outsider can: with the C2SP specifications (tlog-checkpoint,
// tlog-tiles) and Go's golang.org/x/mod/sumdb/note and
// golang.org/x/mod/sumdb/tlog, and no code of tally's. It
//
//  1. fetches /log/checkpoint and verifies the log's signature with the
//     key it is given (name+hash+base64);
//  2. reads the hash tiles the checkpoint's tree needs, each checked
//     against the tree as it is read, and recomputes the root hash from
//     them, which must be the checkpoint's;
//  3. fetches the entry bundle of one leaf and proves that leaf is in
//     the tree: its hash, its inclusion proof from the tiles, the root.
//
// Run it against a server:
//
//	go run ./examples/tlogclient -url http://127.0.0.1:8080 -key 'city.example/log+abcd1234+AbC...'
//
// It imports only the standard library and golang.org/x/mod, which its
// test holds it to.
package main

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tileHeight is the height of C2SP tlog-tiles: 256 hashes a full tile.
const tileHeight = 8

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "the instance's address")
	key := flag.String("key", "", "the log's note verifier key (name+hash+base64)")
	leaf := flag.Int64("leaf", -1, "the leaf to prove included (default: the last)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := check(ctx, &http.Client{}, *url, *key, *leaf, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tlogclient:", err)
		os.Exit(1)
	}
}

// checkpoint is a C2SP tlog-checkpoint's first three lines.
type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// check runs the three checks against the log at base and says what it
// found on out; leaf -1 is the last leaf.
func check(ctx context.Context, hc *http.Client, base, key string, leaf int64, out io.Writer) error {
	verifier, err := note.NewVerifier(strings.TrimSpace(key))
	if err != nil {
		return fmt.Errorf("-key: %w", err)
	}
	log := server{ctx: ctx, hc: hc, base: strings.TrimRight(base, "/")}
	msg, err := log.get("checkpoint")
	if err != nil {
		return err
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return fmt.Errorf("checkpoint signature: %w", err)
	}
	c, err := parseCheckpoint(n.Text)
	if err != nil {
		return err
	}
	if c.origin != verifier.Name() {
		return fmt.Errorf("the checkpoint is of the log %q, not %q", c.origin, verifier.Name())
	}
	fmt.Fprintf(out, "checkpoint: %s, %d leaves, root %s, signed by %s\n", c.origin, c.size, c.root, verifier.Name())
	if c.size == 0 {
		return nil
	}

	// Every hash read through hashes is in a tile checked against the
	// tree of c.size leaves with root c.root: a tampered tile is refused.
	hashes := tlog.TileHashReader(tlog.Tree{N: c.size, Hash: c.root}, tiles{log})
	root, err := tlog.TreeHash(c.size, hashes)
	if err != nil {
		return fmt.Errorf("root from the tiles: %w", err)
	}
	if root != c.root {
		return fmt.Errorf("the tiles give the root %s, the checkpoint %s", root, c.root)
	}
	fmt.Fprintf(out, "root recomputed from the hash tiles: %s, as signed\n", root)

	if leaf < 0 {
		leaf = c.size - 1
	}
	if leaf >= c.size {
		return fmt.Errorf("-leaf %d: the log has %d leaves", leaf, c.size)
	}
	data, err := log.leaf(leaf, c.size)
	if err != nil {
		return err
	}
	proof, err := tlog.ProveRecord(c.size, leaf, hashes)
	if err != nil {
		return fmt.Errorf("inclusion proof of leaf %d: %w", leaf, err)
	}
	if err := tlog.CheckRecord(proof, c.size, c.root, leaf, tlog.RecordHash(data)); err != nil {
		return fmt.Errorf("leaf %d of the entry bundle is not in the tree: %w", leaf, err)
	}
	fmt.Fprintf(out, "leaf %d (%s) is in the tree: inclusion proof of %d hashes checked\n", leaf, base64.StdEncoding.EncodeToString(data), len(proof))
	return nil
}

// parseCheckpoint reads the origin, size and root lines of a checkpoint.
func parseCheckpoint(text string) (checkpoint, error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 || lines[0] == "" {
		return checkpoint{}, errors.New("not a C2SP checkpoint: want an origin, a size and a root, one a line")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return checkpoint{}, fmt.Errorf("checkpoint size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint root %q: %w", lines[2], err)
	}
	return checkpoint{origin: lines[0], size: size, root: root}, nil
}

// maxResource bounds what the client reads of one resource of the log.
const maxResource = 1 << 20

// server reads the log's resources under base/log/.
type server struct {
	ctx  context.Context
	hc   *http.Client
	base string
}

func (s server) get(path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodGet, s.base+"/log/"+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// A full tile is 8 KiB and an entry bundle smaller; a checkpoint is a
	// few lines. Anything far larger is not a log's.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResource+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxResource {
		return nil, fmt.Errorf("GET /log/%s: longer than %d bytes", path, maxResource)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /log/%s: %s", path, resp.Status)
	}
	return body, nil
}

// leaf returns the data of leaf i from its entry bundle in the tree of
// size leaves.
func (s server) leaf(i, size int64) ([]byte, error) {
	n := i / (1 << tileHeight)
	width := min(size-n<<tileHeight, 1<<tileHeight)
	bundle, err := s.get(tilePath("entries", n, width))
	if err != nil {
		return nil, err
	}
	for k := int64(0); len(bundle) >= 2; k++ {
		l := int(binary.BigEndian.Uint16(bundle))
		if len(bundle) < 2+l {
			break
		}
		if k == i%(1<<tileHeight) {
			return bundle[2 : 2+l], nil
		}
		bundle = bundle[2+l:]
	}
	return nil, fmt.Errorf("entry bundle %d holds no leaf %d", n, i)
}

// tiles is a tlog.TileReader of the log's hash tiles.
type tiles struct{ s server }

func (tiles) Height() int { return tileHeight }

func (t tiles) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	for i, tile := range ts {
		data, err := t.s.get(tilePath(strconv.Itoa(tile.L), tile.N, int64(tile.W)))
		if err != nil {
			return nil, err
		}
		if len(data) != tile.W*tlog.HashSize {
			return nil, fmt.Errorf("tile %d/%d: %d bytes, want %d", tile.L, tile.N, len(data), tile.W*tlog.HashSize)
		}
		out[i] = data
	}
	return out, nil
}

func (tiles) SaveTiles([]tlog.Tile, [][]byte) {} // nothing is cached

// tilePath is a tile's path as C2SP tlog-tiles writes it: tile/<L>/<N>
// with N in groups of three digits, all but the last after an "x", and
// .p/<W> for a partial tile.
func tilePath(level string, n, width int64) string {
	digits := strconv.FormatInt(n, 10)
	digits = strings.Repeat("0", (3-len(digits)%3)%3) + digits
	var groups []string
	for i := 0; i < len(digits); i += 3 {
		groups = append(groups, "x"+digits[i:i+3])
	}
	groups[len(groups)-1] = groups[len(groups)-1][1:]
	p := "tile/" + level + "/" + strings.Join(groups, "/")
	if width < 1<<tileHeight {
		p += ".p/" + strconv.FormatInt(width, 10)
	}
	return p
}
