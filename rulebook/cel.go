package rulebook

import (
	"fmt"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/env"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// costLimit bounds the work of evaluating one points expression, so that a
// rulebook cannot make a runaway program (for example a regular expression
// over a long text fact). Ordinary expressions cost well under 100.
const costLimit = 10_000

// maxPointsLength bounds the length of a points expression, in characters.
const maxPointsLength = 1_000

// celTypes maps fact types to CEL types.
var celTypes = map[FactType]*cel.Type{
	Number:  cel.DoubleType,
	Integer: cel.IntType,
	Bool:    cel.BoolType,
	Text:    cel.StringType,
}

// pointsEnv returns the CEL environment shared by every points expression:
// the standard library without macros, with arithmetic that mixes int and
// double (so that "hours / 4" works when hours is a number) and numeric
// comparisons across the two. It is built once and never changed.
var pointsEnv = sync.OnceValues(func() (*cel.Env, error) {
	// The standard library binds +, -, * and / once for all their overloads,
	// which rules out adding mixed overloads beside them. So they are left
	// out and declared again below, same-type overloads included.
	subset := &env.LibrarySubset{
		DisableMacros: true,
		ExcludeFunctions: []*env.Function{
			{Name: operators.Add}, {Name: operators.Subtract},
			{Name: operators.Multiply}, {Name: operators.Divide},
		},
	}
	opts := []cel.EnvOption{
		cel.StdLib(cel.StdLibSubset(subset)),
		cel.CrossTypeNumericComparisons(true),
		cel.ParserExpressionSizeLimit(maxPointsLength),
	}
	for _, op := range arithmetic {
		opts = append(opts, op.function())
	}
	return cel.NewCustomEnv(opts...)
})

// operator is an arithmetic operator of the points language: its CEL name,
// a name for its overload ids and the function that computes it on two CEL
// values of the same type.
type operator struct {
	op, name string
	apply    func(a, b ref.Val) ref.Val
}

// arithmetic lists the four arithmetic operators of the points language.
// Each computes with the method of CEL's own values, so int overflow and
// division by zero are errors as in standard CEL.
var arithmetic = []operator{
	{operators.Add, "add", func(a, b ref.Val) ref.Val { return a.(traits.Adder).Add(b) }},
	{operators.Subtract, "subtract", func(a, b ref.Val) ref.Val { return a.(traits.Subtractor).Subtract(b) }},
	{operators.Multiply, "multiply", func(a, b ref.Val) ref.Val { return a.(traits.Multiplier).Multiply(b) }},
	{operators.Divide, "divide", func(a, b ref.Val) ref.Val { return a.(traits.Divider).Divide(b) }},
}

// toDouble converts a CEL int to a CEL double.
func toDouble(v ref.Val) ref.Val { return types.Double(float64(v.(types.Int))) }

// function declares one arithmetic operator for int and int (int, with
// CEL's overflow checks), double and double, and int mixed with double
// in either order (double).
func (a operator) function() cel.EnvOption {
	apply := a.apply
	return cel.Function(a.op,
		cel.Overload("points_"+a.name+"_int_int", []*cel.Type{cel.IntType, cel.IntType}, cel.IntType,
			cel.BinaryBinding(apply)),
		cel.Overload("points_"+a.name+"_double_double", []*cel.Type{cel.DoubleType, cel.DoubleType}, cel.DoubleType,
			cel.BinaryBinding(apply)),
		cel.Overload("points_"+a.name+"_double_int", []*cel.Type{cel.DoubleType, cel.IntType}, cel.DoubleType,
			cel.BinaryBinding(func(x, y ref.Val) ref.Val { return apply(x, toDouble(y)) })),
		cel.Overload("points_"+a.name+"_int_double", []*cel.Type{cel.IntType, cel.DoubleType}, cel.DoubleType,
			cel.BinaryBinding(func(x, y ref.Val) ref.Val { return apply(toDouble(x), y) })),
	)
}

// compilePoints type-checks a points expression over the facts, each a
// variable of the matching CEL type, and returns a program whose result is
// an int or a double. The error message is CEL's, one issue per clause.
func compilePoints(facts []Fact, expr string) (cel.Program, error) {
	base, err := pointsEnv()
	if err != nil {
		return nil, fmt.Errorf("building the points language: %v", err)
	}
	vars := make([]cel.EnvOption, 0, len(facts))
	for _, f := range facts {
		vars = append(vars, cel.Variable(f.Name, celTypes[f.Type]))
	}
	e, err := base.Extend(vars...)
	if err != nil {
		return nil, err
	}
	ast, iss := e.Compile(expr)
	if iss.Err() != nil {
		msgs := make([]string, 0, len(iss.Errors()))
		for _, ce := range iss.Errors() {
			msg := ce.Message
			if loc := ce.Location; loc != nil && loc.Line() > 0 {
				msg = fmt.Sprintf("column %d: %s", loc.Column()+1, msg)
				if loc.Line() > 1 {
					msg = fmt.Sprintf("expression line %d, %s", loc.Line(), msg)
				}
			}
			msgs = append(msgs, msg)
		}
		return nil, fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	out := ast.OutputType()
	if !out.IsExactType(cel.IntType) && !out.IsExactType(cel.DoubleType) {
		return nil, fmt.Errorf("the expression gives a %s; it must give a number (int or double)", out)
	}
	return e.Program(ast, cel.CostLimit(costLimit))
}
