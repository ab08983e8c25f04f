package translog

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
	"golang.org/x/mod/sumdb/tlog"
)

// The log is served as C2SP tlog-tiles: hash tiles of height 8 (256 hashes
// a full tile) and entry bundles of 256 leaves.
const (
	TileHeight = 8
	TileWidth  = 1 << TileHeight
	// MaxTileLevel is the highest level a tile path may name.
	MaxTileLevel = 63
)

// Tile names one resource of the tiled log: a hash tile at Level (its
// hashes are the tree's nodes at height 8×Level) or, when Entries is set,
// an entry bundle (Level is then 0); Index counts tiles from 0 within the
// level, and Width is the number of hashes or leaves, TileWidth for a full
// tile and 1 to 255 for a partial one. Full tiles never change; a partial
// tile of width W is the same in every tree that has it.
type Tile struct {
	Level   int
	Index   int64
	Width   int
	Entries bool
}

// Path returns the tile's path under the log's prefix, as tlog-tiles
// writes it: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], with N in
// groups of three digits, all but the last starting with "x"
// (1234067 is x001/x234/067).
func (t Tile) Path() string {
	var b strings.Builder
	b.WriteString("tile/")
	if t.Entries {
		b.WriteString("entries")
	} else {
		b.WriteString(strconv.Itoa(t.Level))
	}
	n := strconv.FormatInt(t.Index, 10)
	n = strings.Repeat("0", (3-len(n)%3)%3) + n
	for i := 0; i < len(n); i += 3 {
		b.WriteByte('/')
		if i+3 < len(n) {
			b.WriteByte('x')
		}
		b.WriteString(n[i : i+3])
	}
	if t.Width < TileWidth {
		b.WriteString(".p/" + strconv.Itoa(t.Width))
	}
	return b.String()
}

// ParseTilePath reads a tile path as Path writes it. Only the one
// canonical spelling of each tile is accepted (no leading zeros, no
// leading "x000" group, no ".p/256"), so that a tile has one address and
// every accepted path is a tile's Path. Anything else is an ENotFound
// error.
func ParseTilePath(path string) (Tile, error) {
	bad := func() (Tile, error) {
		return Tile{}, tally.Errorf(tally.ENotFound, "%q is not a tile path: want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]", path)
	}
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok {
		return bad()
	}
	first, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return bad()
	}
	t := Tile{Width: TileWidth}
	if first == "entries" {
		t.Entries = true
	} else if t.Level, ok = decimal(first, MaxTileLevel); !ok {
		return bad()
	}
	if n, w, ok := strings.Cut(rest, ".p/"); ok {
		if t.Width, ok = decimal(w, TileWidth-1); !ok || t.Width == 0 {
			return bad()
		}
		rest = n
	}
	groups := strings.Split(rest, "/")
	for i, g := range groups {
		last := i == len(groups)-1
		if !last {
			if g, ok = strings.CutPrefix(g, "x"); !ok || (i == 0 && g == "000") {
				return bad()
			}
		}
		if len(g) != 3 || strings.Trim(g, "0123456789") != "" {
			return bad()
		}
		d, _ := strconv.ParseInt(g, 10, 64)
		if t.Index > (1<<63-1-d)/1000 {
			return bad()
		}
		t.Index = t.Index*1000 + d
	}
	return t, nil
}

// decimal reads a number from 0 to most written without sign or leading
// zeros.
func decimal(s string, most int) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > most || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// ReadTile returns the bytes of tile t in the tree of the log's first size
// leaves (the size of the checkpoint being served): a hash tile is its
// hashes one after another, an entry bundle each leaf's data after its
// length as a big-endian uint16. A tile the tree does not have yet is an
// ENotFound error.
func ReadTile(ctx context.Context, r Reader, size int64, t Tile) ([]byte, error) {
	if err := within(ctx, r, size); err != nil {
		return nil, err
	}
	if t.Level < 0 || t.Level > MaxTileLevel || t.Index < 0 || t.Width < 1 || t.Width > TileWidth || (t.Entries && t.Level != 0) {
		return nil, tally.Errorf(tally.ENotFound, "%q is not a tile path: want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]", t.Path())
	}
	// Hashes a tile at this level stands for: complete subtrees of
	// 256^Level leaves in the tree of size.
	have := size >> (TileHeight * t.Level)
	if t.Index > (have-int64(t.Width))/TileWidth || have < int64(t.Width) {
		return nil, tally.Errorf(tally.ENotFound, "tile %s is beyond the log's %d entries", t.Path(), size)
	}
	if t.Entries {
		return readBundle(ctx, r, t)
	}
	data, err := tlog.ReadTileData(tlog.Tile{H: TileHeight, L: t.Level, N: t.Index, W: t.Width}, tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hs, err := ReadHashes(ctx, r, indexes)
		out := make([]tlog.Hash, len(hs))
		for i, h := range hs {
			out[i] = tlog.Hash(h)
		}
		return out, err
	}))
	if err != nil {
		return nil, fmt.Errorf("translog: read tile %s: %w", t.Path(), err)
	}
	return data, nil
}

// readBundle returns the entry bundle t.
func readBundle(ctx context.Context, r Reader, t Tile) ([]byte, error) {
	leaves, err := r.ReadLeaves(ctx, t.Index*TileWidth, t.Width)
	if err != nil {
		return nil, fmt.Errorf("translog: read bundle %s: %w", t.Path(), err)
	}
	var out []byte
	for _, l := range leaves {
		if len(l) > MaxLeafSize {
			return nil, fmt.Errorf("translog: leaf of %d bytes in bundle %s", len(l), t.Path())
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(l)))
		out = append(out, l...)
	}
	return out, nil
}

// ParseBundle splits an entry bundle into its leaves' data.
func ParseBundle(data []byte) ([][]byte, error) {
	var leaves [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, tally.Errorf(tally.EInvalid, "the entry bundle is cut short")
		}
		n := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+n {
			return nil, tally.Errorf(tally.EInvalid, "the entry bundle is cut short")
		}
		leaves = append(leaves, data[2:2+n])
		data = data[2+n:]
	}
	return leaves, nil
}
