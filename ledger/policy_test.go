package ledger_test

import (
	"bytes"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

var update = flag.Bool("update", false, "rewrite docs/SECURITY.md's generated table")

// useCases names the operations each use case asks the policy about.
// Adding a use case without an entry here fails TestEveryUseCaseIsInThePolicy.
var useCases = map[string][]ledger.Op{
	"AccessLog":          {ledger.OpReadAccessLog},
	"LogCheckpoint":      {ledger.OpReadLog},
	"LogPositions":       {ledger.OpReadLog},
	"SignLogCheckpoint":  {ledger.OpSignLog},
	"LogTile":            {ledger.OpReadLog},
	"LogInclusion":       {ledger.OpReadLog},
	"LogConsistency":     {ledger.OpReadLog},
	"VerifyLog":          {ledger.OpVerifyLog},
	"AppendUnlogged":     {ledger.OpBackfillLog},
	"ArchiveAccess":      {ledger.OpArchiveAccessLog},
	"CreateAccount":      {ledger.OpManageAccounts},
	"Accounts":           {ledger.OpManageAccounts},
	"SetPassword":        {ledger.OpSetPassword},
	"DisableAccount":     {ledger.OpManageAccounts},
	"HonourBoard":        {ledger.OpReadBoard},
	"Rewards":            {ledger.OpReadSheet},
	"Distributions":      {ledger.OpReadBoard, ledger.OpExactStatistics},
	"CheckStatistics":    {ledger.OpCheckStatistics},
	"CheckDay":           {ledger.OpCheckStatistics},
	"MayCheck":           {ledger.OpCheck},
	"Close":              {ledger.OpClose},
	"CloseOf":            {ledger.OpReadSheet},
	"Closes":             {ledger.OpListCloses},
	"MayDecideObjection": {ledger.OpReview},
	"MayReviewHold":      {ledger.OpReview},
	"MayDecideRepair":    {ledger.OpReview},
	"Decide":             {ledger.OpReview},
	"Eligibility":        {ledger.OpEligibility},
	"Eligibilities":      {ledger.OpEligibility},
	"SaveEvidence":       {ledger.OpRecord},
	"EvidenceFile":       {ledger.OpReadEvidence},
	"PendingReviews":     {ledger.OpReview},
	"Approve":            {ledger.OpReview},
	"Reject":             {ledger.OpReview},
	"Import":             {ledger.OpImportRecords, ledger.OpRecord},
	"RecordAll":          {ledger.OpImportRecords, ledger.OpRecord},
	"IssueKioskCode":     {ledger.OpIssueKioskCode},
	"ImportListings":     {ledger.OpImportListEntries, ledger.OpListEntries},
	"PublishCatalogue":   {ledger.OpPublishCatalogue},
	"Catalogue":          {ledger.OpReadCatalogue},
	"ImportCalendar":     {ledger.OpImportCalendar},
	"Calendar":           {ledger.OpReadCalendar},
	"CalendarGaps":       {ledger.OpReadCalendar},
	"List":               {ledger.OpListEntries},
	"Remove":             {ledger.OpListEntries},
	"Revoke":             {ledger.OpRevokeSource},
	"Proposals":          {ledger.OpReadProposals},
	"StateCase":          {ledger.OpStateCase},
	"DecideProposal":     {ledger.OpDecideProposal},
	"Cascades":           {ledger.OpReadCascades},
	"ImportListSnapshot": {ledger.OpRevokeSource, ledger.OpImportListEntries, ledger.OpListEntries},
	"DeliverNotices":     {ledger.OpDeliverNotices},
	"SetContact":         {ledger.OpSetContact},
	"Outbox":             {ledger.OpReadNotices},
	"AcknowledgeNotice":  {ledger.OpAcknowledgeNotice},
	"Object":             {ledger.OpObject},
	"Acknowledge":        {ledger.OpReview},
	"Appeal":             {ledger.OpObject},
	"Objections":         {ledger.OpReadObjections},
	"ImportPeople":       {ledger.OpAddSubject},
	"Find":               {ledger.OpFindSubjects},
	"FoundByID":          {ledger.OpFindSubjects},
	"Recent":             {ledger.OpRecentRecords},
	"CategoryCounts":     {ledger.OpReadStatistics, ledger.OpExactStatistics},
	"Record":             {ledger.OpRecord, ledger.OpRecordFor},
	"DryRun":             {ledger.OpRecord},
	"ApplyRepair":        {ledger.OpApplyRepair},
	"DecideRepair":       {ledger.OpReview},
	"Repairs":            {ledger.OpReadRepairs},
	"Sign":               {ledger.OpWriteCommitments},
	"Fulfil":             {ledger.OpWriteCommitments},
	"Breach":             {ledger.OpWriteCommitments, ledger.OpRecord},
	"Commitments":        {ledger.OpReadCommitments},
	"IssueReport":        {ledger.OpIssueReport},
	"IssueSpecialReport": {ledger.OpIssueReport},
	"VerifyReport":       {ledger.OpVerifyReportSeal},
	"VerifyReportLog":    {ledger.OpVerifyReportSeal},
	"Reverse":            {ledger.OpReverse},
	"Publish":            {ledger.OpPublishRulebook},
	"Versions":           {ledger.OpReadRulebooks},
	"Schemes":            {ledger.OpReadRulebooks},
	"Score":              {ledger.OpReadSubject},
	"Explain":            {ledger.OpReadSubject},
	"History":            {ledger.OpReadSubject},
	"Me":                 {ledger.OpReadOwnPage},
	"SetConsent":         {ledger.OpSetConsent},
	"Trend":              {ledger.OpReadSubject},
	"Outlook":            {ledger.OpReadSubject},
	"Sheet":              {ledger.OpReadSheet},
	"EachCloseRow":       {ledger.OpReadSheet},
	"SetPublication":     {ledger.OpSetConsent},
	"Publication":        {ledger.OpSetConsent},
	"CloseRows":          {ledger.OpReadSheet},
	"Distribution":       {ledger.OpReadStatistics},
	"EachScore":          {ledger.OpScoreAll},
	"Statistics":         {ledger.OpReadStatistics, ledger.OpExactStatistics},
	"AddSubject":         {ledger.OpAddSubject},
	"Enrol":              {ledger.OpEnrol},
	"CreateToken":        {ledger.OpManageTokens},
	"Tokens":             {ledger.OpManageTokens},
	"RevokeToken":        {ledger.OpManageTokens},
	"Verify":             {ledger.OpVerify},
	"SetInstanceName":    {ledger.OpNameInstance},
	"InstanceName":       {ledger.OpReadAgreements},
	"PublishAgreement":   {ledger.OpPublishAgreement},
	"Agreements":         {ledger.OpReadAgreements},
	"PendingShares":      {ledger.OpExchange},
	"MarkPublished":      {ledger.OpExchange},
	"Receivers":          {ledger.OpExchange},
	"Issuers":            {ledger.OpExchange},
	"Receive":            {ledger.OpExchange},
	"ReceiveAll":         {ledger.OpExchange},
	"Heard":              {ledger.OpExchange},
	"HeardFrom":          {ledger.OpExchange},
	"RejectMessage":      {ledger.OpExchange},
	"Rejections":         {ledger.OpExchange},
}

// checks are the answers of the check index's runtime (checkindex.Checker)
// to callers; its other methods run the index (start, load, refresh,
// flush) and answer no one.
var checks = map[string]ledger.Op{
	"Check":           ledger.OpCheck,
	"CheckBatch":      ledger.OpCheck,
	"CheckStatistics": ledger.OpCheckStatistics,
}

// unguarded are the exported methods that no caller's request reaches
// with a choice of target, and why each needs no entry in the policy.
var unguarded = map[string]string{
	"Authenticate":    "turns a token secret into an actor: it is authentication",
	"SignIn":          "turns a password into a session: it is authentication",
	"Session":         "turns a session secret into an actor: it is authentication",
	"SignOut":         "ends the caller's own session, named by its secret",
	"RedeemKioskCode": "turns a one-time code into the subject's actor: it is authentication",
	"Idempotent":      "runs the caller's own request once under its own key; the use cases it runs ask the policy",
	"Ready":           "a health check; reads nothing",
	"Check":           "ties the database to the key at start",
	"Now":             "the clock",
	"Location":        "a scheme's time zone, public in its rulebook",
	"BookInForce":     "a published rulebook, public",
	"Identifier":      "opens a subject the caller already holds after its own check",
	"BindReportKey":   "ties the database to the report key at start",
	"ReportPublicKey": "the public key that checks reports",
	"OnListsChanged":  "wiring of the check index",
	"ScanLists":       "the check index catching up with the database; each check asks the policy (checks.ask)",
	"AddCheckCounts":  "the check index's counters, aggregates of answers already authorised",
	"LogChecks":       "the access log of checks already answered, each after MayCheck (checks.ask)",
	"NewLookupHash":   "the keyed hash the check index finds subjects by; reveals nothing",
}

// Every exported use case of the Service is either in useCases, and asks
// the policy about those operations (directly or through the functions it
// calls), or in unguarded with a reason; and every operation of the
// policy is asked about somewhere.
func TestEveryUseCaseIsInThePolicy(t *testing.T) {
	typ := reflect.TypeOf(&ledger.Service{})
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		_, mapped := useCases[name]
		_, exempt := unguarded[name]
		switch {
		case mapped && exempt:
			t.Errorf("%s is in useCases and in unguarded", name)
		case !mapped && !exempt:
			t.Errorf("use case %s is in neither useCases (the operations it performs) nor unguarded (why it needs none): add it, and to ledger.Policy if it is a new operation", name)
		}
	}
	reach := opsReached(t)
	for name, ops := range useCases {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("useCases names %s, which the Service does not have", name)
			continue
		}
		for _, op := range ops {
			if !slices.Contains(reach["Service."+name], op) {
				t.Errorf("%s does not ask the policy about %s (it reaches %v)", name, op, reach["Service."+name])
			}
		}
	}
	checker := reflect.TypeOf(&checkindex.Checker{})
	for i := range checker.NumMethod() {
		name := checker.Method(i).Name
		op, asks := checks[name]
		if !asks {
			continue
		}
		if !slices.Contains(reach["Checker."+name], op) {
			t.Errorf("Checker.%s does not ask the policy about %s", name, op)
		}
	}
	for name := range unguarded {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("unguarded names %s, which the Service does not have", name)
		}
	}
	for name := range checks {
		if _, ok := checker.MethodByName(name); !ok {
			t.Errorf("checks names %s, which the Checker does not have", name)
		}
	}
	asked := map[ledger.Op]bool{}
	for _, ops := range reach {
		for _, op := range ops {
			asked[op] = true
		}
	}
	for _, p := range ledger.Policy {
		if !asked[p.Op] {
			t.Errorf("operation %s is in the policy but no code asks about it", p.Op)
		}
	}
}

// opsReached parses the source of the ledger and of the check index's
// runtime and returns, for every function and method, the operations it
// names directly or through the functions it calls. A function of
// checkindex is named "checkindex.f"; its Checker reaches the ledger
// through c.svc.
func opsReached(t *testing.T) map[string][]ledger.Op {
	t.Helper()
	values := opConstants(t)
	direct := map[string][]ledger.Op{}
	calls := map[string][]string{}
	for _, dir := range []string{".", "../checkindex"} {
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, pkg := range pkgs {
			qualify := func(name string) string { return name }
			if pkg.Name != "ledger" {
				qualify = func(name string) string { return pkg.Name + "." + name }
			}
			for _, f := range pkg.Files {
				for _, d := range f.Decls {
					fn, ok := d.(*ast.FuncDecl)
					if !ok || fn.Body == nil {
						continue
					}
					name := funcName(fn)
					if fn.Recv == nil {
						name = qualify(name)
					}
					ast.Inspect(fn.Body, func(n ast.Node) bool {
						switch n := n.(type) {
						case *ast.Ident:
							if op, ok := values[n.Name]; ok && pkg.Name == "ledger" {
								direct[name] = append(direct[name], op)
							}
						case *ast.CallExpr:
							switch f := n.Fun.(type) {
							case *ast.Ident:
								calls[name] = append(calls[name], qualify(f.Name))
							case *ast.SelectorExpr:
								if recv := receiverType(f.X); recv != "" {
									calls[name] = append(calls[name], recv+"."+f.Sel.Name)
								}
							}
						}
						return true
					})
				}
			}
		}
	}
	out := map[string][]ledger.Op{}
	var walk func(name string, seen map[string]bool) []ledger.Op
	walk = func(name string, seen map[string]bool) []ledger.Op {
		if seen[name] {
			return nil
		}
		seen[name] = true
		ops := slices.Clone(direct[name])
		for _, c := range calls[name] {
			ops = append(ops, walk(c, seen)...)
		}
		return ops
	}
	for name := range direct {
		out[name] = walk(name, map[string]bool{})
	}
	for name := range calls {
		out[name] = walk(name, map[string]bool{})
	}
	return out
}

// receiverType names the type of a method call's receiver, as the
// package names its receivers: s a Service, c a Checker, c.svc a Service.
func receiverType(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Ident:
		switch x.Name {
		case "s":
			return "Service"
		case "c":
			return "Checker"
		}
	case *ast.SelectorExpr:
		if x.Sel.Name == "svc" {
			return "Service"
		}
	}
	return ""
}

// funcName is "Service.Record" for a method, "record" for a function.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// opConstants maps the identifier of each operation's constant, as
// policy_table.go declares it, to the operation.
func opConstants(t *testing.T) map[string]ledger.Op {
	t.Helper()
	src, err := os.ReadFile("policy_table.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]ledger.Op{}
	for _, line := range strings.Split(string(src), "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[1] == "Op" && f[2] == "=" {
			out[f[0]] = ledger.Op(strings.Trim(f[3], `"`))
		}
	}
	if len(out) != len(ledger.Policy) {
		t.Fatalf("policy_table.go declares %d operations, Policy has %d", len(out), len(ledger.Policy))
	}
	return out
}

// Every role is refused every operation the table does not grant it, and
// the scopes hold: a sample of targets inside and outside each scope.
func TestPolicyScopes(t *testing.T) {
	me := []byte("lookup-of-me")
	actor := func(role tally.Role) *tally.Actor {
		return &tally.Actor{Name: "x", Role: role, Schemes: []string{"a"}, Rules: []string{"r1"}, Categories: []string{"c1"}, Lookup: me}
	}
	cases := []struct {
		scope  ledger.Scope
		target ledger.Target
		want   bool
	}{
		{ledger.Assigned, ledger.Target{Scheme: "a"}, true},
		{ledger.Assigned, ledger.Target{Scheme: "b"}, false},
		{ledger.Assigned, ledger.Target{Scheme: "a", Rule: "r2"}, false},
		{ledger.Assigned, ledger.Target{Scheme: "a", Category: "c2"}, false},
		{ledger.Assigned, ledger.Target{Scheme: "a", Rule: "r1", Category: "c1"}, true},
		{ledger.Own, ledger.Target{Lookup: me}, true},
		{ledger.Own, ledger.Target{Lookup: []byte("someone else")}, false},
		{ledger.Own, ledger.Target{}, false},
		{ledger.Made, ledger.Target{Scheme: "a", MadeBy: "x"}, true},
		{ledger.Made, ledger.Target{Scheme: "a", MadeBy: "y"}, false},
		{ledger.Made, ledger.Target{Scheme: "b", MadeBy: "x"}, false},
		{ledger.OwnAccount, ledger.Target{Account: "x"}, true},
		{ledger.OwnAccount, ledger.Target{Account: "y"}, false},
	}
	for _, p := range ledger.Policy {
		for _, role := range tally.Roles {
			scope, granted := ledger.GrantOf(p.Op, role)
			for _, c := range cases {
				want := granted && (scope == ledger.Anywhere || (scope == c.scope && c.want))
				if scope != ledger.Anywhere && scope != c.scope {
					continue // this target says nothing about another scope
				}
				if got := ledger.Allowed(actor(role), p.Op, c.target); got != want {
					t.Errorf("%s by %s on %+v: allowed %v, want %v", p.Op, role, c.target, got, want)
				}
			}
			if !granted && ledger.Allowed(&tally.Actor{Name: "x", Role: role}, p.Op, ledger.Target{}) {
				t.Errorf("%s by %s: allowed without a grant", p.Op, role)
			}
		}
	}
	token := &tally.Actor{Name: "x", Role: tally.Recorder, TokenID: 7}
	if ledger.Allowed(token, ledger.OpSetPassword, ledger.Target{Account: "x"}) {
		t.Error("a token named like an account may set that account's password")
	}
}

// docs/SECURITY.md shows the policy as generated from the table; run
// `go test ./ledger -run TestSecurityDocShowsThePolicy -update` after
// changing it.
func TestSecurityDocShowsThePolicy(t *testing.T) {
	const begin, end = "<!-- policy:begin -->\n", "<!-- policy:end -->"
	path := "../docs/SECURITY.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(doc, []byte(begin)), bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q section", path, begin, end)
	}
	want := policyTable()
	got := string(doc[i+len(begin) : j])
	if got == want {
		return
	}
	if *update {
		out := append(append(append([]byte{}, doc[:i+len(begin)]...), want...), doc[j:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s does not show ledger.Policy: run go test ./ledger -run TestSecurityDocShowsThePolicy -update", path)
}

// policyTable renders Policy as a Markdown table: an operation a row, a
// role a column.
func policyTable() string {
	var b strings.Builder
	b.WriteString("| Operation | What |")
	for _, r := range tally.Roles {
		b.WriteString(" " + string(r) + " |")
	}
	b.WriteString("\n|---|---|")
	for range tally.Roles {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	ops := slices.Clone(ledger.Policy)
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Op < ops[j].Op })
	for _, p := range ops {
		b.WriteString("| `" + string(p.Op) + "` | " + p.What + " |")
		for _, r := range tally.Roles {
			cell := ""
			if scope, ok := ledger.GrantOf(p.Op, r); ok {
				cell = string(scope)
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// A token scoped to one scheme learns nothing scored in another: a grade
// gate of another scheme is neither answered nor listed, and only an
// operator computes every subject's score.
func TestScopedTokensStayInTheirSchemes(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.publishExample("city.yaml")
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	f.person("jiakuang-majia", zhang, "张三")
	f.enrol("rongcheng-city", zhang, true)
	village := as(tally.Reviewer, "reviewer-2", func(a *tally.Actor) { a.Schemes = []string{"jiakuang-majia"} })
	city := as(tally.Reviewer, "reviewer-9", func(a *tally.Actor) { a.Schemes = []string{"rongcheng-city"} })

	_, err := f.svc.Eligibility(village, zhang, "heating-discount", time.Time{})
	wantCode(t, err, tally.EForbidden, "rongcheng-city")
	if _, err := f.svc.Eligibility(city, zhang, "heating-discount", time.Time{}); err != nil {
		t.Errorf("the city's reviewer asks about the city's gate: %v", err)
	}
	all, err := f.svc.Eligibilities(village, zhang, nil, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.Measure == "heating-discount" {
			t.Errorf("every measure, asked by the village's reviewer, includes the city's grade gate: %+v", e)
		}
	}
	if len(all) == 0 {
		t.Error("every measure, asked by the village's reviewer: none, want the ungated ones")
	}
	err = f.svc.EachScore(village, "jiakuang-majia", time.Time{}, func(int64, *tally.Score) error { return nil })
	wantCode(t, err, tally.EForbidden, "")
	if err := f.svc.EachScore(f.ctx, "jiakuang-majia", time.Time{}, func(int64, *tally.Score) error { return nil }); err != nil {
		t.Errorf("the operator scores everyone: %v", err)
	}
}
