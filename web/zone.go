package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/tallycredit/tally/localtime"
)

// zoned is a page's data that knows the time zone of its scheme.
type zoned interface{ zone() *time.Location }

// pageZone returns the time zone a page's dates are shown in, found the
// first time a template asks (most pages show no date): the zone of the
// page's data when it knows it, else of the scheme the request names,
// else the zone every published scheme shares. Schemes in different zones
// and a site without a scheme show dates on Beijing time
// (localtime.Default), the zone a rulebook has when it names none.
func (s *Server) pageZone(r *http.Request, data any) func() *time.Location {
	return sync.OnceValue(func() *time.Location {
		if z, ok := data.(zoned); ok && z.zone() != nil {
			return z.zone()
		}
		ctx := r.Context()
		scheme := r.PathValue("scheme")
		if scheme == "" {
			scheme = r.URL.Query().Get("scheme")
		}
		if scheme != "" {
			if loc, err := s.svc.Location(ctx, scheme); err == nil {
				return loc
			}
		}
		vs, err := s.svc.Schemes(ctx)
		if err != nil || len(vs) == 0 {
			return localtime.Default()
		}
		loc := vs[0].Book.Location
		for _, v := range vs[1:] {
			if v.Book.Location.String() != loc.String() {
				return localtime.Default()
			}
		}
		return loc
	})
}
