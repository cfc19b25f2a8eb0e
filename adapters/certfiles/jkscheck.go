package certfiles

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// checkJKSLengths walks a Java KeyStore's structure and checks that every length it declares
// fits in the file, before keystore-go allocates buffers of those lengths: a 1 KiB file that
// claims a 4 GiB entry must be refused, not answered with an out-of-memory crash. It reads no
// content; keystore-go parses the file once this passes.
func checkJKSLengths(data []byte) error {
	r := jksReader{data: data}
	r.skip(4) // magic
	version := r.u32()
	if version != 1 && version != 2 {
		return fmt.Errorf("unknown JKS version %d", version)
	}
	entries := r.u32()
	for i := uint32(0); i < entries && r.err == nil; i++ {
		tag := r.u32()
		r.skip(int(r.u16())) // alias
		r.skip(8)            // creation time
		switch tag {
		case 1: // private key: the encrypted key, then its chain
			r.skip(int(r.u32()))
			for n := r.u32(); n > 0 && r.err == nil; n-- {
				r.certificate(version)
			}
		case 2: // trusted certificate
			r.certificate(version)
		default:
			return fmt.Errorf("JKS entry %d has unknown tag %d", i, tag)
		}
	}
	r.skip(20) // SHA-1 digest
	return r.err
}

// jksReader reads big-endian fields, remembering the first overrun.
type jksReader struct {
	data []byte
	err  error
}

var errJKSTruncated = errors.New("declares more bytes than the file holds (truncated or forged)")

func (r *jksReader) skip(n int) {
	if r.err != nil {
		return
	}
	if n < 0 || n > len(r.data) {
		r.err = errJKSTruncated
		return
	}
	r.data = r.data[n:]
}

func (r *jksReader) u16() uint16 {
	b := r.data
	if r.skip(2); r.err != nil {
		return 0
	}
	return binary.BigEndian.Uint16(b)
}

func (r *jksReader) u32() uint32 {
	b := r.data
	if r.skip(4); r.err != nil {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}

// certificate skips a certificate: its type name (version 2 only) and its encoding.
func (r *jksReader) certificate(version uint32) {
	if version == 2 {
		r.skip(int(r.u16()))
	}
	r.skip(int(r.u32()))
}
