package condition

import (
	"fmt"
	"sort"
	"strconv"
)

// Error is one problem found in a condition, at a byte offset of its source.
type Error struct {
	Pos       int    // byte offset in the source, 0-based
	Line, Col int    // 1-based; Col counts bytes from the start of the line
	Msg       string // what was expected and what was found
}

var _ error = (*Error)(nil)

// newError builds an Error at pos in src, computing its line and column.
func newError(src string, pos int, format string, args ...any) *Error {
	line, col := lineCol(src, pos)
	return &Error{Pos: pos, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// Error formats the error as "line:col: message", e.g. "1:45: expected ')' but found 'AND'".
func (e *Error) Error() string {
	return strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
}

// ErrorList is a list of errors, sortable by position. Parse returns one when a condition is invalid.
type ErrorList []*Error

var _ error = ErrorList(nil)

// Len is the number of errors.
func (l ErrorList) Len() int { return len(l) }

// Less orders errors by position, then by message.
func (l ErrorList) Less(i, j int) bool {
	if l[i].Pos != l[j].Pos {
		return l[i].Pos < l[j].Pos
	}
	return l[i].Msg < l[j].Msg
}

// Swap exchanges two errors.
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Sort sorts the list by position.
func (l ErrorList) Sort() { sort.Sort(l) }

// Error formats the first error and says how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns nil when the list is empty and the list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// lineCol returns the 1-based line and byte column of offset pos in src.
func lineCol(src string, pos int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < pos && i < len(src); i++ {
		if src[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, pos - start + 1
}

// at formats the position of offset pos in src as "line:col", the prefix of explanations.
func at(src string, pos int) string {
	line, col := lineCol(src, pos)
	return strconv.Itoa(line) + ":" + strconv.Itoa(col)
}
