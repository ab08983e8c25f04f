package translog_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// Paths are tlog-tiles': N in groups of three digits with "x" before all
// but the last, ".p/W" for a partial tile, and they read back; they are
// tlog's paths without its height element, and "entries" for its "data".
func TestTilePaths(t *testing.T) {
	for _, tc := range []struct {
		tile translog.Tile
		path string
	}{
		{translog.Tile{Level: 1, Index: 1234, Width: 7}, "tile/1/x001/234.p/7"},
		{translog.Tile{Level: 0, Index: 1234067, Width: 256}, "tile/0/x001/x234/067"},
		{translog.Tile{Level: 0, Index: 0, Width: 256}, "tile/0/000"},
		{translog.Tile{Level: 63, Index: 1000, Width: 1}, "tile/63/x001/000.p/1"},
		{translog.Tile{Index: 5, Width: 256, Entries: true}, "tile/entries/005"},
		{translog.Tile{Index: 999, Width: 255, Entries: true}, "tile/entries/999.p/255"},
		{translog.Tile{Level: 2, Index: 1<<63 - 1, Width: 256}, "tile/2/x009/x223/x372/x036/x854/x775/807"},
	} {
		if got := tc.tile.Path(); got != tc.path {
			t.Errorf("%+v.Path() = %q, want %q", tc.tile, got, tc.path)
		}
		got, err := translog.ParseTilePath(tc.path)
		if err != nil || got != tc.tile {
			t.Errorf("ParseTilePath(%q) = %+v, %v; want %+v", tc.path, got, err, tc.tile)
		}
		ref := tlog.Tile{H: translog.TileHeight, L: tc.tile.Level, N: tc.tile.Index, W: tc.tile.Width}
		if tc.tile.Entries {
			ref.L = -1
		}
		want := strings.Replace(strings.Replace(ref.Path(), "tile/8/", "tile/", 1), "tile/data/", "tile/entries/", 1)
		if tc.path != want {
			t.Errorf("%q is not tlog's path %q", tc.path, want)
		}
	}
}

func TestParseTilePathRefuses(t *testing.T) {
	for _, path := range []string{
		"", "tile", "tile/", "tile/0", "tile/0/", "/tile/0/000", "tile/0/000/", "tiles/0/000",
		"tile/64/000", "tile/01/000", "tile/-1/000", "tile/+1/000", "tile/x/000",
		"tile/0/1", "tile/0/0001", "tile/0/x000/001", "tile/0/001/x002", "tile/0/x001", "tile/0/x01/000",
		"tile/0/000.p/256", "tile/0/000.p/0", "tile/0/000.p/007", "tile/0/000.p/", "tile/0/000.p/1/2", "tile/0/000.p",
		"tile/0/x009/x223/x372/x036/x854/x775/808", "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
		"tile/entries/", "tile/entries/1", "tile/entries/000.p/256", "tile/data/000", "tile/0/0a0",
	} {
		if tile, err := translog.ParseTilePath(path); tally.ErrorCodeOf(err) != tally.ENotFound {
			t.Errorf("ParseTilePath(%q) = %+v, %v; want not found", path, tile, err)
		}
	}
}

// Every accepted path is the Path of the tile it names.
func FuzzParseTilePath(f *testing.F) {
	for _, s := range []string{"tile/1/x001/234.p/7", "tile/entries/000", "tile/63/x001/000.p/1", "tile/0/x000/001", "tile/0/000.p/256"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		tile, err := translog.ParseTilePath(path)
		if err != nil {
			return
		}
		if tile.Level < 0 || tile.Level > translog.MaxTileLevel || tile.Index < 0 || tile.Width < 1 || tile.Width > translog.TileWidth || (tile.Entries && tile.Level != 0) {
			t.Fatalf("ParseTilePath(%q) = %+v", path, tile)
		}
		if got := tile.Path(); got != path {
			t.Fatalf("ParseTilePath(%q).Path() = %q", path, got)
		}
	})
}

// tileServer serves a log's tiles by their tlog-tiles paths to tlog's
// TileHashReader, as a client that knows only the specification would
// fetch them.
type tileServer struct {
	tb   testing.TB
	s    translog.Reader
	size int64
}

func (ts tileServer) Height() int { return translog.TileHeight }

func (ts tileServer) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, rt := range tiles {
		path := strings.Replace(rt.Path(), "tile/8/", "tile/", 1)
		tile, err := translog.ParseTilePath(path)
		if err != nil {
			ts.tb.Fatalf("tlog asks for %q: %v", path, err)
		}
		out[i], err = translog.ReadTile(context.Background(), ts.s, ts.size, tile)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (tileServer) SaveTiles([]tlog.Tile, [][]byte) {}

// tlog's TileHashReader, which checks every tile it reads against the
// tree hash, finds the root and proves records from the served tiles, for
// trees that end in partial tiles at every level and for full ones.
func TestTilesMatchTlog(t *testing.T) {
	ctx := context.Background()
	s := mustLog(t, 70000)
	for _, size := range []int64{1, 7, 255, 256, 257, 511, 512, 513, 1000, 65535, 65536, 65537, 70000} {
		root, err := translog.RootAt(ctx, s, size)
		if err != nil {
			t.Fatal(err)
		}
		hr := tlog.TileHashReader(tlog.Tree{N: size, Hash: tlog.Hash(root)}, tileServer{t, s, size})
		th, err := tlog.TreeHash(size, hr)
		if err != nil || th != tlog.Hash(root) {
			t.Fatalf("size %d: tlog reads the root %v, %v from the tiles; want %s", size, th, err, root)
		}
		for _, i := range []int64{0, size / 2, size - 1} {
			p, err := tlog.ProveRecord(size, i, hr)
			if err != nil {
				t.Fatalf("size %d: tlog proves record %d from the tiles: %v", size, i, err)
			}
			if err := tlog.CheckRecord(p, size, th, i, tlog.RecordHash(leafData(int(i)))); err != nil {
				t.Fatalf("size %d, record %d: %v", size, i, err)
			}
		}
		for _, rt := range tlog.NewTiles(translog.TileHeight, 0, size) {
			tile := translog.Tile{Level: rt.L, Index: rt.N, Width: rt.W}
			data, err := translog.ReadTile(ctx, s, size, tile)
			if err != nil || len(data) != rt.W*translog.HashSize {
				t.Fatalf("size %d: tile %s: %d bytes, %v", size, tile.Path(), len(data), err)
			}
			if rt.L == 0 {
				checkBundle(t, s, size, rt.N, rt.W, data)
			}
		}
		beyond := []translog.Tile{
			{Level: 0, Index: size / 256, Width: int(size%256) + 1},
			{Level: 0, Index: size/256 + 1, Width: 1},
			{Level: 1, Index: size / 65536, Width: int(size/256%256) + 1},
			{Index: size / 256, Width: int(size%256) + 1, Entries: true},
		}
		for _, tile := range beyond {
			if _, err := translog.ReadTile(ctx, s, size, tile); tally.ErrorCodeOf(err) != tally.ENotFound {
				t.Errorf("size %d: tile %s beyond the tree: %v, want not found", size, tile.Path(), err)
			}
		}
	}
}

// checkBundle reads the entry bundle beside level-0 tile n of width w and
// checks that its leaves hash to the tile's hashes.
func checkBundle(t *testing.T, s translog.Reader, size, n int64, w int, tile []byte) {
	t.Helper()
	data, err := translog.ReadTile(context.Background(), s, size, translog.Tile{Index: n, Width: w, Entries: true})
	if err != nil {
		t.Fatal(err)
	}
	leaves, err := translog.ParseBundle(data)
	if err != nil || len(leaves) != w {
		t.Fatalf("bundle %d.p/%d: %d leaves, %v", n, w, len(leaves), err)
	}
	for i, l := range leaves {
		want := leafData(int(n)*translog.TileWidth + i)
		if !bytes.Equal(l, want) {
			t.Fatalf("bundle %d, leaf %d: %q, want %q", n, i, l, want)
		}
		h := translog.LeafHash(l)
		if !bytes.Equal(h[:], tile[i*translog.HashSize:(i+1)*translog.HashSize]) {
			t.Fatalf("bundle %d, leaf %d does not hash to its tile's hash", n, i)
		}
	}
	if data[0] != 0 || int(data[1]) != len(leaves[0]) {
		t.Errorf("bundle %d starts % x, want the first leaf's length as a big-endian uint16", n, data[:2])
	}
	if _, err := translog.ParseBundle(data[:len(data)-1]); err == nil {
		t.Errorf("a bundle cut short parses")
	}
}
