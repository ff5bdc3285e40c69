package condition

// InvalidConditionMessage is ARM's message for any invalid condition, and for a conditionVersion other than
// 2.0 (spec abac-conditions.md §8).
const InvalidConditionMessage = "The given role assignment condition is invalid."

// Version is the only conditionVersion ARM supports, and its default when a condition comes without one
// (spec abac-conditions.md §1).
const Version = "2.0"

// MaxSize is the largest condition accepted, in bytes of UTF-8 (spec abac-conditions.md §8; choiceSize).
const MaxSize = 8192

// Condition is a parsed, checked and compiled condition. It is immutable and safe for concurrent use.
type Condition struct {
	src  string
	root node
	eval evaler
}

// Parse parses, checks and compiles a role-assignment condition that may use the ACR attribute
// @Request[Microsoft.ContainerRegistry/registries/repositories:name]. When src is invalid it returns an
// ErrorList whose messages say what was expected and where.
func Parse(src string) (*Condition, error) { return ParseWithAttributes(src) }

// ParseWithAttributes is Parse for conditions that may also use the attributes in known, such as Azure
// Storage's. Each known Attribute's Value gives only its type: a single value, or a set whose first element
// gives the type of a multi-valued attribute.
func ParseWithAttributes(src string, known ...Attribute) (*Condition, error) {
	if errs := checkSource(src); len(errs) > 0 {
		return nil, errs
	}
	root, err := parse(src)
	if err != nil {
		return nil, ErrorList{err}
	}
	if errs := check(src, root, known); len(errs) > 0 {
		return nil, errs
	}
	return &Condition{src: src, root: root, eval: compile(src, root)}, nil
}

// String prints the condition in canonical form: documented keyword spelling, single spaces, parentheses
// around every nested AND or OR and every NOT operand. Parsing the result gives the same String.
func (c *Condition) String() string { return c.root.String() }

// Source returns the condition's text as given to Parse, byte for byte.
func (c *Condition) Source() string { return c.src }
