package tsp

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// hashOIDs are the OIDs of the accepted imprint algorithms.
var hashOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
	crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1},
	crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
	crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3},
}

// TSTInfo is what a time-stamp token asserts: the imprint existed at GenTime.
type TSTInfo struct {
	Policy  asn1.ObjectIdentifier
	Hash    crypto.Hash
	Imprint []byte
	Serial  *big.Int
	GenTime time.Time
	Nonce   *big.Int
	// TSA is the TSA's certificate, whose subject names it.
	TSA *x509.Certificate
}

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type accuracy struct {
	Seconds int `asn1:"optional"`
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time     `asn1:"generalized"`
	Accuracy       accuracy      `asn1:"optional"`
	Nonce          *big.Int      `asn1:"optional"`
	TSA            asn1.RawValue `asn1:"optional"` // [0] EXPLICIT GeneralName
}

// Marshal encodes the TSTInfo, the eContent of the token, in DER.
func (t TSTInfo) Marshal() ([]byte, error) {
	oid, ok := hashOIDs[t.Hash]
	if !ok || len(t.Imprint) != t.Hash.Size() {
		return nil, fmt.Errorf("tsp: TSTInfo with a %v imprint of %d bytes", t.Hash, len(t.Imprint))
	}
	if t.Serial == nil || t.Serial.Sign() <= 0 || t.TSA == nil {
		return nil, fmt.Errorf("tsp: TSTInfo needs a positive serial and the TSA's certificate")
	}
	// tsa [0] EXPLICIT GeneralName, here directoryName [4] EXPLICIT Name
	name, err := asn1.Marshal(asn1.RawValue{Class: 2, Tag: 4, IsCompound: true, Bytes: t.TSA.RawSubject})
	if err != nil {
		return nil, fmt.Errorf("tsp: encode the TSA's name: %w", err)
	}
	info := tstInfo{Version: 1, Policy: t.Policy, SerialNumber: t.Serial, GenTime: t.GenTime.UTC().Truncate(time.Second),
		Accuracy: accuracy{Seconds: 1}, Nonce: t.Nonce,
		MessageImprint: messageImprint{pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue}, t.Imprint},
		TSA:            asn1.RawValue{Class: 2, Tag: 0, IsCompound: true, Bytes: name}}
	der, err := asn1.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("tsp: encode TSTInfo serial %x: %w", t.Serial, err)
	}
	return der, nil
}

// pkiStatusInfo and timeStampResp are RFC 3161 §2.4.2.
type pkiStatusInfo struct {
	Status       int
	StatusString []asn1.RawValue `asn1:"optional"` // PKIFreeText: UTF8Strings
	FailInfo     asn1.BitString  `asn1:"optional"`
}

type timeStampResp struct {
	Status         pkiStatusInfo
	TimeStampToken asn1.RawValue `asn1:"optional"`
}

// Granted is the TimeStampResp carrying token, the DER ContentInfo of the SignedData.
func Granted(token []byte) ([]byte, error) {
	der, err := asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 0}, TimeStampToken: asn1.RawValue{FullBytes: token}})
	if err != nil {
		return nil, fmt.Errorf("tsp: encode the granted response: %w", err)
	}
	return der, nil
}

// Rejection is the TimeStampResp refusing a request (status rejection) with f's failure
// info and reason.
func Rejection(f *Failure) []byte {
	n := int(f.Info)
	bits := asn1.BitString{Bytes: make([]byte, n/8+1), BitLength: n + 1}
	bits.Bytes[n/8] = 0x80 >> (n % 8)
	text := []asn1.RawValue{{Tag: asn1.TagUTF8String, Bytes: []byte(strings.ToValidUTF8(f.Reason, "?"))}}
	der, err := asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 2, StatusString: text, FailInfo: bits}})
	if err != nil {
		panic(fmt.Sprintf("tsp: encode a rejection: %v", err)) // fixed types: cannot fail
	}
	return der
}
