package rest

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/pki"
)

// defineProfile creates a profile from a domain.ProfileSpec in JSON.
func (h *handlers) defineProfile(c echo.Context) error {
	var spec domain.ProfileSpec
	if err := bind(c, &spec); err != nil {
		return err
	}
	return h.saveProfile(c, spec, false, http.StatusCreated)
}

// updateProfile replaces the policy of the profile in the path; If-Match guards against
// replacing a version the caller has not seen.
func (h *handlers) updateProfile(c echo.Context) error {
	var spec domain.ProfileSpec
	if err := bind(c, &spec); err != nil {
		return err
	}
	switch {
	case spec.Name == "":
		spec.Name = c.Param("name")
	case spec.Name != c.Param("name"):
		return badRequest("the body names profile " + spec.Name + ", the path " + c.Param("name") + "; a profile cannot be renamed")
	}
	return h.saveProfile(c, spec, true, http.StatusOK)
}

// saveProfile defines or updates a profile. Profiles made for TLS servers need not spell out
// usages: without them a profile gets digitalSignature and serverAuth, and requires the common
// name among the SANs.
func (h *handlers) saveProfile(c echo.Context, spec domain.ProfileSpec, update bool, status int) error {
	if len(spec.KeyUsages) == 0 && len(spec.ExtKeyUsages) == 0 {
		spec.KeyUsages, spec.ExtKeyUsages, spec.RequireCNInSANs = []string{"digitalSignature"}, []string{"serverAuth"}, true
	}
	call, err := conditionalCaller(c)
	if err != nil {
		return err
	}
	name := "define_profile"
	if update {
		name = "update_profile"
	}
	res, err := h.run(name, func() (commands.Result, error) {
		return h.Commands.DefineProfile.Handle(c.Request().Context(), commands.DefineProfile{CommandID: commandID(c), Spec: spec, Update: update}, call)
	})
	if err != nil {
		return err
	}
	setETag(c, res.Head.Next-1)
	return c.JSON(status, wire.ProfileRevision{ID: commands.ProfileID(spec.Name).String(), Name: spec.Name,
		Revision: res.Head.Next - 1, Spec: spec})
}

// listProfiles lists the profiles the caller may read: DEVOPS its team's and the shared ones.
func (h *handlers) listProfiles(c echo.Context) error {
	rows, err := h.ReadModel.ListProfiles(c.Request().Context())
	if err != nil {
		return err
	}
	list := wire.ProfileList{Items: make([]wire.Profile, 0, len(rows))}
	for _, p := range rows {
		if mayRead(actorOf(c), p.Team) {
			list.Items = append(list.Items, profileOf(p))
		}
	}
	return c.JSON(http.StatusOK, list)
}

func (h *handlers) getProfile(c echo.Context) error {
	p, err := h.ReadModel.Profile(c.Request().Context(), c.Param("name"))
	if errors.Is(err, pki.ErrNotFound) {
		return problemOf(&domain.Error{Kind: domain.KindNotFound, Message: "profile " + c.Param("name") + " does not exist"})
	}
	if err != nil {
		return err
	}
	if !mayRead(actorOf(c), p.Team) {
		return notVisible("profile " + p.Name)
	}
	setETag(c, uint64(p.Version-1))
	return c.JSON(http.StatusOK, profileOf(p))
}
