package wire

// EABKeyRequest is the body of POST /acme/eab-keys: an External Account Binding key for the
// accounts of an ACME provisioner, acting for a team.
type EABKeyRequest struct {
	Provisioner string `json:"provisioner"`
	Team        string `json:"team"`
}

// EABKey is a minted EAB key. HMACKey (base64url) is in this answer only: the ledger records
// its SHA-256 and derives it again when an account binds with it.
type EABKey struct {
	KeyID       string `json:"key_id"`
	HMACKey     string `json:"hmac_key"`
	Provisioner string `json:"provisioner"`
	Team        string `json:"team"`
}
