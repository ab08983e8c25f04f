package httpapi

import (
	"net/http"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/wire"
)

// listAgreements answers the data-sharing agreements in force and this
// instance's name, which an instance not yet named does not have.
func (s *Server) listAgreements(r *http.Request) (int, any, error) {
	all, err := s.svc.Agreements(r.Context())
	if err != nil {
		return 0, nil, err
	}
	name, err := s.svc.InstanceName(r.Context())
	if err != nil && tally.ErrorCodeOf(err) != tally.ENotFound {
		return 0, nil, err
	}
	out := wire.Agreements{Instance: name, Agreements: make([]wire.Agreement, len(all))}
	for i, a := range all {
		out.Agreements[i] = wire.AgreementOf(a)
	}
	return http.StatusOK, out, nil
}
