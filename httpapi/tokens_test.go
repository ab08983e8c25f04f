package httpapi_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// An admin makes, lists and revokes tokens over the API; a revoked token
// stops working at once; nobody else may manage tokens.
func TestTokensThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	ctx := context.Background()
	admin := s.client(ledger.TokenSpec{Name: "root", Role: tally.Admin})
	made, err := admin.CreateToken(ctx, client.TokenRequest{Name: "recorder-9", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if made.ID == 0 || made.Token == "" || made.Role != tally.Recorder {
		t.Fatalf("created %+v, want an id, a secret and the role", made)
	}
	recorder := client.New(s.url, made.Token, nil)
	if me, err := recorder.Me(ctx); err != nil || me.Name != "recorder-9" {
		t.Errorf("the new token: %+v %v, want recorder-9", me, err)
	}
	list, err := admin.Tokens(ctx, "", 10)
	if err != nil || len(list.Items) != 2 || list.Items[1].Token != "" {
		t.Errorf("tokens = %+v %v, want two, without secrets", list, err)
	}
	_, err = recorder.Tokens(ctx, "", 10)
	wantStatus(t, "a recorder lists tokens", err, 403, "forbidden")
	_, err = recorder.CreateToken(ctx, client.TokenRequest{Name: "x", Role: tally.Admin}, nil)
	wantStatus(t, "a recorder makes a token", err, 403, "forbidden")
	_, err = admin.CreateToken(ctx, client.TokenRequest{Name: "x", Role: "overlord"}, nil)
	wantStatus(t, "an unknown role", err, 400, "invalid")

	if err := admin.RevokeToken(ctx, made.ID, nil); err != nil {
		t.Fatal(err)
	}
	_, err = recorder.Me(ctx)
	wantStatus(t, "a revoked token", err, 401, "unauthorized")
	err = admin.RevokeToken(ctx, 999, nil)
	wantStatus(t, "revoking an unknown token", err, 404, "not_found")
	list, err = admin.Tokens(ctx, strconv.FormatInt(list.Items[0].ID, 10), 10)
	if err != nil || len(list.Items) != 1 || list.Items[0].Revoked.IsZero() {
		t.Errorf("tokens after the first = %+v %v, want the revoked one", list, err)
	}
}
