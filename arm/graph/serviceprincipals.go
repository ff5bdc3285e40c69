package graph

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/acremu/acremu/storage"
)

// listServicePrincipals serves GET /servicePrincipals (managed identities included) with an optional
// $filter.
func (s *Server) listServicePrincipals(req *request) error {
	f, err := parseFilter(req.r.URL.Query().Get("$filter"))
	if err != nil {
		return err
	}
	var out []map[string]any
	for _, p := range req.st.Principals() {
		if !isServicePrincipal(p) {
			continue
		}
		if o := servicePrincipalObject(req.st, p); f.match(o) {
			out = append(out, o)
		}
	}
	return req.collection(setServicePrincipals, out)
}

func findServicePrincipal(st *storage.State, id string) (*storage.Principal, error) {
	if p, ok := st.Principal(id); ok && isServicePrincipal(p) {
		return p, nil
	}
	return nil, errNotFound(id)
}

// getServicePrincipal serves GET /servicePrincipals/{id}.
func (s *Server) getServicePrincipal(req *request) error {
	p, err := findServicePrincipal(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	return req.entity(http.StatusOK, setServicePrincipals, servicePrincipalObject(req.st, p))
}

// createServicePrincipal serves POST /servicePrincipals {"appId"}: the application's record is its service
// principal, so this returns it.
func (s *Server) createServicePrincipal(req *request) error {
	var b struct {
		AppID string `json:"appId"`
	}
	if err := req.decode(&b); err != nil {
		return err
	}
	p, ok := req.st.ByAppID(b.AppID)
	if !ok || p.Kind != storage.KindServicePrincipal {
		return errBadRequest(fmt.Sprintf("The appId '%s' of the service principal does not reference a valid application object.", b.AppID))
	}
	return req.entity(http.StatusCreated, setServicePrincipals, servicePrincipalObject(req.st, p))
}

// deleteServicePrincipal serves DELETE /servicePrincipals/{id}. A managed identity's service principal
// goes with its ARM resource only.
func (s *Server) deleteServicePrincipal(req *request) error {
	p, err := findServicePrincipal(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	if p.Kind == storage.KindManagedIdentity {
		return errBadRequest("The service principal of a managed identity is deleted with the identity.")
	}
	return s.deletePrincipal(req, p)
}

// listApplications serves GET /applications with an optional $filter.
func (s *Server) listApplications(req *request) error {
	f, err := parseFilter(req.r.URL.Query().Get("$filter"))
	if err != nil {
		return err
	}
	var out []map[string]any
	for _, p := range req.st.Principals() {
		if p.Kind != storage.KindServicePrincipal {
			continue
		}
		if o := applicationObject(req.st, p); f.match(o) {
			out = append(out, o)
		}
	}
	return req.collection(setApplications, out)
}

// findApplication finds the service principal whose application has the object id.
func findApplication(st *storage.State, id string) (*storage.Principal, error) {
	for _, p := range st.Principals() {
		if p.Kind == storage.KindServicePrincipal && strings.EqualFold(applicationID(p), id) {
			return p, nil
		}
	}
	return nil, errNotFound(id)
}

// getApplication serves GET /applications/{id}.
func (s *Server) getApplication(req *request) error {
	p, err := findApplication(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	return req.entity(http.StatusOK, setApplications, applicationObject(req.st, p))
}

// applicationBody is the part of an application's body the emulator keeps.
type applicationBody struct {
	DisplayName string `json:"displayName"`
}

// createApplication serves POST /applications: a new application and its service principal, without a
// secret.
func (s *Server) createApplication(req *request) error {
	var b applicationBody
	if err := req.decode(&b); err != nil {
		return err
	}
	if b.DisplayName == "" {
		return errInvalidProperty("displayName", "Application")
	}
	p := storage.Principal{ObjectID: storage.DeterministicGUID("graph-sp", b.DisplayName, req.now.String()),
		Kind: storage.KindServicePrincipal, DisplayName: b.DisplayName, AppID: storage.DeterministicGUID("graph-app", b.DisplayName, req.now.String())}
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(p) }); err != nil {
		return err
	}
	st := s.db.State()
	saved, _ := st.Principal(p.ObjectID)
	s.log.Info("directory application created", "appId", p.AppID, "name", p.DisplayName, "by", req.caller.ObjectID)
	return req.entity(http.StatusCreated, setApplications, applicationObject(st, saved))
}

// updateApplication serves PATCH /applications/{id}: the display name.
func (s *Server) updateApplication(req *request) error {
	p, err := findApplication(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	var b applicationBody
	if err := req.decode(&b); err != nil {
		return err
	}
	if b.DisplayName != "" && b.DisplayName != p.DisplayName {
		u := *p
		u.DisplayName = b.DisplayName
		if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(u) }); err != nil {
			return err
		}
	}
	return req.noContent()
}

// deleteApplication serves DELETE /applications/{id}, which takes the service principal with it.
func (s *Server) deleteApplication(req *request) error {
	p, err := findApplication(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	return s.deletePrincipal(req, p)
}

// addPassword serves POST /applications/{id}/addPassword: a generated secret replaces the one the record can
// hold, and is returned once, in secretText.
func (s *Server) addPassword(req *request) error {
	p, err := findApplication(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	var b struct {
		PasswordCredential struct {
			DisplayName   *string `json:"displayName"`
			StartDateTime string  `json:"startDateTime"`
			EndDateTime   string  `json:"endDateTime"`
		} `json:"passwordCredential"`
	}
	if err := req.decode(&b); err != nil {
		return err
	}
	secret, err := newSecret()
	if err != nil {
		return err
	}
	u := *p
	u.SecretHash = storage.HashSecret(secret)
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(u) }); err != nil {
		return err
	}
	start, end := b.PasswordCredential.StartDateTime, b.PasswordCredential.EndDateTime
	if start == "" {
		start = dateTime(req.now)
	}
	if end == "" {
		end = dateTime(req.now.AddDate(2, 0, 0))
	}
	return req.reply(http.StatusOK, map[string]any{"@odata.context": contextBase + "microsoft.graph.passwordCredential",
		"customKeyIdentifier": nil, "displayName": b.PasswordCredential.DisplayName, "endDateTime": end, "hint": secret[:3],
		"keyId": passwordKeyID(&u), "secretText": secret, "startDateTime": start})
}

// removePassword serves POST /applications/{id}/removePassword {"keyId"}.
func (s *Server) removePassword(req *request) error {
	p, err := findApplication(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	var b struct {
		KeyID string `json:"keyId"`
	}
	if err := req.decode(&b); err != nil {
		return err
	}
	if p.SecretHash == "" || !strings.EqualFold(b.KeyID, passwordKeyID(p)) {
		return errBadRequest(fmt.Sprintf("No password credential found with keyId '%s'.", b.KeyID))
	}
	u := *p
	u.SecretHash = ""
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(u) }); err != nil {
		return err
	}
	return req.noContent()
}

// secretAlphabet is the alphabet of generated client secrets.
const secretAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

// newSecret returns a 40-character client secret shaped as Entra's ("xxx8Q~" followed by 34 characters).
func newSecret() (string, error) {
	pick := func(n int) (string, error) {
		var b strings.Builder
		for range n {
			i, err := rand.Int(rand.Reader, big.NewInt(int64(len(secretAlphabet))))
			if err != nil {
				return "", err
			}
			b.WriteByte(secretAlphabet[i.Int64()])
		}
		return b.String(), nil
	}
	head, err := pick(3)
	if err != nil {
		return "", err
	}
	tail, err := pick(34)
	if err != nil {
		return "", err
	}
	return head + "8Q~" + tail, nil
}
