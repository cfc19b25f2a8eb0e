package domain

import "slices"

// Exists reports whether the deployment was requested.
func (d *Deployment) Exists() bool { return d.req.DeploymentID != "" }

// ID returns the deployment's id.
func (d *Deployment) ID() string { return d.req.DeploymentID }

// Status returns where the deployment stands.
func (d *Deployment) Status() DeploymentStatus { return d.status }

// Target returns where the certificate goes.
func (d *Deployment) Target() DeploymentTarget { return d.req.Target }

// Requested returns the deployment's request as recorded.
func (d *Deployment) Requested() DeploymentRequested {
	r := d.req
	r.DNSNames = slices.Clone(r.DNSNames)
	return r
}

// CertificateID returns the issued certificate's id, "" before DeploymentIssued.
func (d *Deployment) CertificateID() string {
	if d.issued == nil {
		return ""
	}
	return d.issued.CertificateID
}

// Reason returns why a failed deployment failed.
func (d *Deployment) Reason() string { return d.reason }

// Version returns the number of events applied.
func (d *Deployment) Version() int { return d.version }
