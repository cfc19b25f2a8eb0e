package rest

import (
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections/access"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/pki"
)

// The read models' rows as the API answers with them (package wire).

// certificateItem is a certificate of the inventory as GET /certificates lists it.
func certificateItem(r pki.CertificateRow) wire.CertificateListItem {
	return wire.CertificateListItem{ID: r.ID.String(), CAID: r.CAID.String(), Serial: r.Serial, SubjectCN: r.SubjectCN,
		SANs: r.SANs, DNSNames: r.DNSNames, KeyType: r.KeyType, KeyBits: r.KeyBits, SignatureAlgorithm: r.SignatureAlgorithm,
		NotBefore: r.NotBefore, NotAfter: r.NotAfter, Status: string(r.Status), Profile: r.Profile, Team: r.Team,
		Owner: r.Owner, RequestedBy: r.RequestedBy, FingerprintSHA256: r.FingerprintSHA256, Renews: idString(r.Renews),
		SupersededBy: idString(r.SupersededBy), RequestedAt: r.RequestedAt, IssuedAt: r.IssuedAt, RevokedAt: r.RevokedAt,
		RevocationReason: r.RevocationReason, InvalidityDate: r.InvalidityDate, UpdatedAt: r.UpdatedAt, Position: r.Position}
}

// caItem is a CA of the inventory as GET /cas lists it: without its certificates, which have
// their own routes, and with its HSM key labels only for callers who see keys.
func caItem(r pki.CARow, seesKeys bool) wire.CAListItem {
	item := wire.CAListItem{ID: r.ID.String(), Name: r.Name, CommonName: r.CommonName, KeyType: r.KeyType,
		ParentID: idString(r.ParentID), Status: r.Status, Serial: r.Serial, NotBefore: r.NotBefore, NotAfter: r.NotAfter,
		ResponderSerial: r.ResponderSerial, ResponderNotAfter: r.ResponderNotAfter, CreatedAt: r.CreatedAt,
		RevokedAt: r.RevokedAt, RevocationReason: r.RevocationReason, CRLPartitions: r.CRLPartitions, CRLURL: r.CRLURL,
		Position: r.Position}
	if seesKeys {
		item.KeyLabel, item.ResponderKeyLabel = r.KeyLabel, r.ResponderKeyLabel
	}
	return item
}

// profileOf is a profile of the read model.
func profileOf(r pki.ProfileRow) wire.Profile {
	return wire.Profile{ID: r.ID.String(), Name: r.Name, Team: r.Team, Spec: r.Spec, Version: r.Version, UpdatedAt: r.UpdatedAt}
}

// tokenItem is an API token of the access read model, with its status at now.
func tokenItem(r access.TokenRow, now time.Time) wire.TokenListItem {
	return wire.TokenListItem{ID: r.ID.String(), Description: r.Description, Role: string(r.Role), Team: r.Team,
		IssuedBy: r.IssuedBy, IssuedAt: r.IssuedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, RevokedBy: r.RevokedBy,
		Position: r.Position, Status: string(r.Status(now))}
}

// auditCheckpoint is a checkpoint of the audit read model.
func auditCheckpoint(cp audit.Checkpoint) wire.AuditCheckpoint {
	return wire.AuditCheckpoint{TreeSize: cp.TreeSize, Root: cp.RootHash, LastPosition: cp.LastPosition, SignedAt: cp.SignedAt,
		KeyID: cp.KeyID, Algorithm: cp.Algorithm, Note: cp.Note, Signature: cp.Signature, Revision: cp.Revision, Position: cp.Position}
}

// eventActor is who appended an event, as the event records it.
func eventActor(a events.Actor) wire.EventActor {
	return wire.EventActor{Subject: a.Subject, Roles: a.Roles, Team: a.Team, SourceAddr: a.SourceAddr, UserAgent: a.UserAgent}
}

// idString is the id, or "" for none.
func idString(id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	return id.String()
}
