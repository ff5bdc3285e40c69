package graph

import (
	"net/http"
	"path"
	"strings"

	"github.com/gorilla/mux"

	"github.com/acremu/acremu/storage"
)

// listGroups serves GET /groups with an optional $filter.
func (s *Server) listGroups(req *request) error {
	f, err := parseFilter(req.r.URL.Query().Get("$filter"))
	if err != nil {
		return err
	}
	var out []map[string]any
	for _, p := range req.st.Principals() {
		if p.Kind != storage.KindGroup {
			continue
		}
		if o := groupObject(p); f.match(o) {
			out = append(out, o)
		}
	}
	return req.collection(setGroups, out)
}

func findGroup(st *storage.State, id string) (*storage.Principal, error) {
	if p, ok := st.Principal(id); ok && p.Kind == storage.KindGroup {
		return p, nil
	}
	return nil, errNotFound(id)
}

// getGroup serves GET /groups/{id}.
func (s *Server) getGroup(req *request) error {
	p, err := findGroup(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	return req.entity(http.StatusOK, setGroups, groupObject(p))
}

// createGroup serves POST /groups: security groups only, as Graph creates them.
func (s *Server) createGroup(req *request) error {
	var b struct {
		DisplayName     string `json:"displayName"`
		MailNickname    string `json:"mailNickname"`
		Description     string `json:"description"`
		MailEnabled     *bool  `json:"mailEnabled"`
		SecurityEnabled *bool  `json:"securityEnabled"`
	}
	if err := req.decode(&b); err != nil {
		return err
	}
	switch {
	case b.DisplayName == "":
		return errInvalidProperty("displayName", "Group")
	case b.MailNickname == "":
		return errInvalidProperty("mailNickname", "Group")
	case b.MailEnabled == nil:
		return errInvalidProperty("mailEnabled", "Group")
	case b.SecurityEnabled == nil:
		return errInvalidProperty("securityEnabled", "Group")
	case *b.MailEnabled:
		return errBadRequest("The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or is set to false.")
	}
	p := storage.Principal{ObjectID: storage.DeterministicGUID("graph-group", b.DisplayName, req.now.String()), Kind: storage.KindGroup, DisplayName: b.DisplayName}
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(p) }); err != nil {
		return err
	}
	saved, _ := s.db.State().Principal(p.ObjectID)
	o := groupObject(saved)
	o["mailNickname"] = b.MailNickname
	if b.Description != "" {
		o["description"] = b.Description
	}
	s.log.Info("directory group created", "name", p.DisplayName, "id", p.ObjectID, "by", req.caller.ObjectID)
	return req.entity(http.StatusCreated, setGroups, o)
}

// deleteGroup serves DELETE /groups/{id}.
func (s *Server) deleteGroup(req *request) error {
	p, err := findGroup(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	return s.deletePrincipal(req, p)
}

// listMembers serves GET /groups/{id}/members: the direct members, each with its @odata.type.
func (s *Server) listMembers(req *request) error {
	g, err := findGroup(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	var out []map[string]any
	for _, m := range g.Members {
		if p, ok := req.st.Principal(m); ok {
			out = append(out, directoryObject(req.st, p))
		}
	}
	return req.collection(setDirectoryObjects, out)
}

// addMember serves POST /groups/{id}/members/$ref {"@odata.id": ".../directoryObjects/{member}"}.
func (s *Server) addMember(req *request) error {
	g, err := findGroup(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	var b struct {
		ODataID string `json:"@odata.id"`
	}
	if err := req.decode(&b); err != nil {
		return err
	}
	if b.ODataID == "" {
		return errInvalidProperty("@odata.id", "directoryObject")
	}
	id := path.Base(strings.TrimRight(b.ODataID, "/"))
	m, ok := req.st.Principal(id)
	if !ok {
		return errNotFound(id)
	}
	if _, found := without(g.Members, m.ObjectID); found {
		return errBadRequest(msgMemberExists)
	}
	if strings.EqualFold(m.ObjectID, g.ObjectID) {
		return errBadRequest("A group cannot be a member of itself.")
	}
	ng := *g
	ng.Members = append(append([]string(nil), g.Members...), m.ObjectID)
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(ng) }); err != nil {
		return err
	}
	s.log.Info("directory member added", "group", g.ObjectID, "member", m.ObjectID, "by", req.caller.ObjectID)
	return req.noContent()
}

// removeMember serves DELETE /groups/{id}/members/{member}/$ref.
func (s *Server) removeMember(req *request) error {
	g, err := findGroup(req.st, mux.Vars(req.r)["id"])
	if err != nil {
		return err
	}
	member := mux.Vars(req.r)["member"]
	kept, found := without(g.Members, member)
	if !found {
		return errNotFound(member)
	}
	ng := *g
	ng.Members = kept
	if err := s.update(func(tx *storage.Tx) error { return tx.PutPrincipal(ng) }); err != nil {
		return err
	}
	return req.noContent()
}
