package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"

	"github.com/xuri/excelize/v2"
)

// sortedZip is a zip writer for excelize that writes the parts in the
// order of their names, each with no modification time, so that the same
// workbook gives the same bytes: excelize writes its streamed worksheets
// in the order of a Go map. Each part is kept deflated in memory until
// Close.
type sortedZip struct {
	w     io.Writer
	parts []*zipPart
	open  *zipPart
}

// zipPart is one part, deflated.
type zipPart struct {
	name string
	data bytes.Buffer
	fw   *flate.Writer
	crc  uint32
	size uint64
}

func (p *zipPart) Write(b []byte) (int, error) {
	p.crc = crc32.Update(p.crc, crc32.IEEETable, b)
	p.size += uint64(len(b))
	return p.fw.Write(b)
}

func newSortedZip(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w} }

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	p := &zipPart{name: name}
	fw, err := flate.NewWriter(&p.data, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	p.fw, z.open = fw, p
	z.parts = append(z.parts, p)
	return p, nil
}

// finish ends the part being written.
func (z *sortedZip) finish() error {
	if z.open == nil {
		return nil
	}
	err := z.open.fw.Close()
	z.open = nil
	return err
}

func (z *sortedZip) AddFS(fs.FS) error {
	return errors.New("sheet: adding a file system to a workbook is not supported")
}

func (z *sortedZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	sort.Slice(z.parts, func(i, j int) bool { return z.parts[i].name < z.parts[j].name })
	zw := zip.NewWriter(z.w)
	for _, p := range z.parts {
		fw, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc,
			CompressedSize64: uint64(p.data.Len()), UncompressedSize64: p.size})
		if err != nil {
			return err
		}
		if _, err := p.data.WriteTo(fw); err != nil {
			return err
		}
	}
	return zw.Close()
}
