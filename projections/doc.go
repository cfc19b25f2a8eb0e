// Package projections will hold the read-model builders that follow $all into Postgres
// (inventory, OCSP status, CRL entries, reports), each writing its rows and its checkpoint in one
// transaction so that replays never apply an event twice. The PKI core issue adds the first ones.
package projections
