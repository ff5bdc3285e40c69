package graph

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// getByIDs serves POST /directoryObjects/getByIds {"ids": [...], "types": [...]}: the objects found, in
// the order asked, each with its @odata.type.
func (s *Server) getByIDs(req *request) error {
	var b struct {
		IDs   []string `json:"ids"`
		Types []string `json:"types"`
	}
	if err := req.decode(&b); err != nil {
		return err
	}
	if len(b.IDs) > 1000 {
		return errBadRequest("Too many identifiers: the limit is 1000.")
	}
	types := map[string]bool{}
	for _, t := range b.Types {
		types[strings.ToLower(strings.TrimPrefix(t, "microsoft.graph."))] = true
	}
	var out []map[string]any
	seen := map[string]bool{}
	for _, id := range b.IDs {
		p, ok := req.st.Principal(id)
		if !ok || seen[p.ObjectID] || len(types) > 0 && !types[strings.ToLower(odataType(p))] {
			continue
		}
		seen[p.ObjectID] = true
		out = append(out, directoryObject(req.st, p))
	}
	return req.collection(setDirectoryObjects, out)
}

// getDirectoryObject serves GET /directoryObjects/{id}.
func (s *Server) getDirectoryObject(req *request) error {
	id := mux.Vars(req.r)["id"]
	p, ok := req.st.Principal(id)
	if !ok {
		return errNotFound(id)
	}
	return req.entity(http.StatusOK, setDirectoryObjects, directoryObject(req.st, p))
}

// checkMemberGroups serves POST /directoryObjects/{id}/checkMemberGroups {"groupIds"}: those of the groups
// the object belongs to, directly or through other groups.
func (s *Server) checkMemberGroups(req *request) error {
	id := mux.Vars(req.r)["id"]
	p, ok := req.st.Principal(id)
	if !ok {
		return errNotFound(id)
	}
	var b struct {
		GroupIDs []string `json:"groupIds"`
	}
	if err := req.decode(&b); err != nil {
		return err
	}
	member := map[string]bool{}
	for _, g := range req.st.Authz.Groups(p.ObjectID) {
		member[strings.ToLower(g)] = true
	}
	out := []string{}
	for _, g := range b.GroupIDs {
		if member[strings.ToLower(g)] {
			out = append(out, g)
		}
	}
	return req.reply(http.StatusOK, map[string]any{"@odata.context": contextBase + "Collection(Edm.String)", "value": out})
}
