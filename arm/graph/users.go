package graph

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/gorilla/mux"

	"github.com/acremu/acremu/storage"
)

// Entra's password rule: 8 to 256 characters from at least three of lowercase, uppercase, digits and
// symbols.
const (
	minPassword = 8
	maxPassword = 256
)

// me serves GET /me: the signed-in user; an application token has no "me".
func (s *Server) me(req *request) error {
	if req.caller.Kind != storage.KindUser {
		return &Error{Status: http.StatusBadRequest, Code: codeGenericBad, Message: msgMeDelegatedOnly}
	}
	return req.entity(http.StatusOK, setUsers, userObject(req.caller))
}

// listUsers serves GET /users with an optional $filter.
func (s *Server) listUsers(req *request) error {
	f, err := parseFilter(req.r.URL.Query().Get("$filter"))
	if err != nil {
		return err
	}
	var out []map[string]any
	for _, p := range req.st.Principals() {
		if p.Kind != storage.KindUser {
			continue
		}
		o := userObject(p)
		view := map[string]any{"mailNickname": localPart(p.UPN), "accountEnabled": true}
		for k, v := range o {
			view[k] = v
		}
		if f.match(view) {
			out = append(out, o)
		}
	}
	return req.collection(setUsers, out)
}

// findUser finds a user by object id or user principal name.
func findUser(st *storage.State, id string) (*storage.Principal, error) {
	if p, ok := st.Principal(id); ok && p.Kind == storage.KindUser {
		return p, nil
	}
	if p, ok := st.UserByUPN(id); ok {
		return p, nil
	}
	return nil, errNotFound(id)
}

// getUser serves GET /users/{id or UPN}.
func (s *Server) getUser(req *request) error {
	p, err := findUser(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	return req.entity(http.StatusOK, setUsers, userObject(p))
}

// userBody is the body of POST and PATCH /users.
type userBody struct {
	AccountEnabled    *bool  `json:"accountEnabled"`
	DisplayName       string `json:"displayName"`
	UserPrincipalName string `json:"userPrincipalName"`
	MailNickname      string `json:"mailNickname"`
	PasswordProfile   *struct {
		Password                      string `json:"password"`
		ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
	} `json:"passwordProfile"`
}

// createUser serves POST /users: the properties Graph requires, a verified domain, a unique UPN and a
// password of Entra's complexity.
func (s *Server) createUser(req *request) error {
	var b userBody
	if err := req.decode(&b); err != nil {
		return err
	}
	switch {
	case b.AccountEnabled == nil:
		return errInvalidProperty("accountEnabled", "User")
	case b.DisplayName == "":
		return errInvalidProperty("displayName", "User")
	case b.MailNickname == "":
		return errInvalidProperty("mailNickname", "User")
	case !strings.Contains(b.UserPrincipalName, "@") || strings.HasPrefix(b.UserPrincipalName, "@"):
		return errInvalidProperty("userPrincipalName", "User")
	case b.PasswordProfile == nil || b.PasswordProfile.Password == "":
		return errInvalidProperty("passwordProfile", "User")
	}
	if !verifiedDomain(req.st, b.UserPrincipalName) {
		return errBadRequest(msgDomainInvalid)
	}
	if _, ok := req.st.UserByUPN(b.UserPrincipalName); ok {
		return errConflict("userPrincipalName")
	}
	if !complexEnough(b.PasswordProfile.Password) {
		return errBadRequest(msgPasswordWeak)
	}
	p := storage.Principal{ObjectID: storage.DeterministicGUID("graph-user", strings.ToLower(b.UserPrincipalName), req.now.String()),
		Kind: storage.KindUser, DisplayName: b.DisplayName, UPN: b.UserPrincipalName, SecretHash: storage.HashSecret(b.PasswordProfile.Password)}
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(p) }); err != nil {
		return err
	}
	saved, _ := s.db.State().Principal(p.ObjectID)
	s.log.Info("directory user created", "upn", p.UPN, "id", p.ObjectID, "by", req.caller.ObjectID)
	return req.entity(http.StatusCreated, setUsers, userObject(saved))
}

// updateUser serves PATCH /users/{id}: display name and password.
func (s *Server) updateUser(req *request) error {
	p, err := findUser(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	var b userBody
	if err := req.decode(&b); err != nil {
		return err
	}
	u := *p
	if b.DisplayName != "" {
		u.DisplayName = b.DisplayName
	}
	if b.PasswordProfile != nil && b.PasswordProfile.Password != "" {
		if !complexEnough(b.PasswordProfile.Password) {
			return errBadRequest(msgPasswordWeak)
		}
		u.SecretHash = storage.HashSecret(b.PasswordProfile.Password)
	}
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(u) }); err != nil {
		return err
	}
	return req.noContent()
}

// deleteUser serves DELETE /users/{id}: the user and its group memberships go in one transaction.
func (s *Server) deleteUser(req *request) error {
	p, err := findUser(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	return s.deletePrincipal(req, p)
}

// deletePrincipal removes a principal and its memberships.
func (s *Server) deletePrincipal(req *request, p *storage.Principal) error {
	err := s.update(func(tx *storage.Tx) error {
		for _, g := range req.st.Principals() {
			if g.Kind != storage.KindGroup {
				continue
			}
			if kept, removed := without(g.Members, p.ObjectID); removed {
				ng := *g
				ng.Members = kept
				if err := tx.PutPrincipal(ng); err != nil {
					return err
				}
			}
		}
		return tx.DeletePrincipal(p.ObjectID)
	})
	if err != nil {
		return err
	}
	s.log.Info("directory object deleted", "id", p.ObjectID, "kind", p.Kind, "by", req.caller.ObjectID)
	return req.noContent()
}

// without returns ids without id, and whether it was there.
func without(ids []string, id string) ([]string, bool) {
	var out []string
	found := false
	for _, x := range ids {
		if strings.EqualFold(x, id) {
			found = true
			continue
		}
		out = append(out, x)
	}
	return out, found
}

// verifiedDomain reports whether a UPN's domain is the tenant's, or one its users already have (seeds may
// declare users of any domain).
func verifiedDomain(st *storage.State, upn string) bool {
	_, domain, _ := strings.Cut(strings.ToLower(upn), "@")
	if domain == strings.ToLower(st.Directory.Domain) {
		return true
	}
	for _, p := range st.Principals() {
		if p.Kind == storage.KindUser && strings.HasSuffix(strings.ToLower(p.UPN), "@"+domain) {
			return true
		}
	}
	return false
}

// complexEnough applies Entra's password complexity rule.
func complexEnough(pw string) bool {
	if len(pw) < minPassword || len(pw) > maxPassword {
		return false
	}
	var lower, upper, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			symbol = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, symbol} {
		if b {
			n++
		}
	}
	return n >= 3
}
