// Package condition implements the language of Azure role-assignment conditions, conditionVersion 2.0, as
// specified in spec abac-conditions.md: a lexer, a recursive-descent parser, write-time checks and a compiled
// evaluator.
//
// # Syntax
//
// A condition is an expression of ActionMatches{'…'}, SubOperationMatches{'…'}, Exists @Source[id] and
// comparisons such as
//
//	@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase 'backend/'
//
// combined with AND (&&), OR (||), NOT (!) and parentheses. Parse accepts whitespace and line breaks between
// any two tokens and must consume the whole input. Where the spec leaves the syntax open, the choices listed
// in choices.go apply.
//
// # Checks
//
// Parse also makes the checks ARM makes when an assignment is written: size, characters, known functions and
// quantifiers, operand types and attribute ids. Only the ACR repository-name attribute is known unless
// ParseWithAttributes declares more. Every failure is an *Error with a position, gathered in an ErrorList;
// callers answer ARM requests with InvalidConditionMessage.
//
// # Evaluation
//
// A Condition is compiled once and is then immutable: Eval may run concurrently, never fails and never
// panics. AND and OR short-circuit left to right; a comparison on a missing attribute is false; a Result
// carries the reason, with source positions, as the authz traces show it.
package condition
