package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/digitorus/timestamp"

	"github.com/certledger/certledger/domain/cms"
)

// timestampSignedData has the ledger's TSA of key tsaKey timestamp the signature of a CMS
// SignedData and returns the SignedData with the token as its id-aa-timeStampToken unsigned
// attribute (RFC 3161 appendix A). The token is checked before it is attached: its signature
// under the certificate it carries, its imprint (SHA-256 of the signature value) and nonce.
func (cmd *command) timestampSignedData(ctx context.Context, tsaKey string, der []byte) ([]byte, error) {
	sig, err := cms.SignatureValue(der)
	if err != nil {
		return nil, fmt.Errorf("the signature to timestamp: %w", err)
	}
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	query, err := timestamp.CreateRequest(bytes.NewReader(sig), &timestamp.RequestOptions{Hash: crypto.SHA256, Certificates: true, Nonce: nonce})
	if err != nil {
		return nil, fmt.Errorf("build the time-stamp request: %w", err)
	}
	reply, err := cmd.api.Timestamp(ctx, tsaKey, query)
	if err != nil {
		return nil, err
	}
	ts, err := timestamp.ParseResponse(reply)
	if err != nil {
		return nil, fmt.Errorf("the TSA of key %s: %w", tsaKey, err)
	}
	imprint := sha256.Sum256(sig)
	if !bytes.Equal(ts.HashedMessage, imprint[:]) || ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("the TSA of key %s answered a token for another imprint or nonce", tsaKey)
	}
	return cms.AddUnsignedAttribute(der, cms.Attribute{Type: cms.OIDTimeStampToken, Value: ts.RawToken})
}

// timestampPE has osslsigncode add an RFC 3161 timestamp from the ledger's TSA of key tsaKey
// to the signed PE at path, in place (through a file in tmp).
func (cmd *command) timestampPE(tool, path, tsaKey, tmp string) error {
	stamped := filepath.Join(tmp, "timestamped.exe")
	if b, err := exec.Command(tool, "add", "-ts", cmd.api.TimestampURL(tsaKey), "-in", path, "-out", stamped).CombinedOutput(); err != nil {
		return fmt.Errorf("osslsigncode add -ts %s: %v: %s", cmd.api.TimestampURL(tsaKey), err, strings.TrimSpace(string(b)))
	}
	if err := os.Rename(stamped, path); err != nil {
		return fmt.Errorf("move the timestamped PE to %s: %w", path, err)
	}
	return nil
}
