package printers

import (
	"time"

	"github.com/kubesim/kubesim/objects"
)

// ServerColumn is one column of a server-side Table, as upstream's
// metav1.TableColumnDefinition describes it.
type ServerColumn struct {
	// Name is the column's name as upstream spells it ("Name", "Ready");
	// kubectl prints it in upper case.
	Name string
	// Priority is 0 for columns always shown, 1 for those -o wide adds.
	Priority int
	// Format is "name" for the column holding the object's name, which
	// kubectl prefixes with the kind when several kinds are printed.
	Format string
}

// ServerTable returns the columns of kind's `kubectl get` table and each
// object's cells, wide ones included, as an apiserver's table convertor
// sends them (Accept: application/json;as=Table): kubectl prints them as
// they come, so ages are measured to now, the caller's virtual time. The
// objects must all be of kind.
func ServerTable(kind string, objs []objects.Object, now time.Time) ([]ServerColumn, [][]string, error) {
	p := printerFor(kind)
	cols := make([]ServerColumn, len(p.columns))
	for i, c := range p.columns {
		cols[i] = ServerColumn{Name: c.name}
		if c.wide {
			cols[i].Priority = 1
		}
		if c.isName {
			cols[i].Format = "name"
		}
	}
	row := p.row
	if p.listRow != nil {
		row = p.listRow(objs)
	}
	rows := make([][]string, 0, len(objs))
	for _, obj := range objs {
		if isNil(obj) {
			return nil, nil, errNilObject
		}
		cells, err := row(obj, now)
		if err != nil {
			return nil, nil, err
		}
		if len(cells) > len(cols) {
			cells = cells[:len(cols)]
		}
		rows = append(rows, cells)
	}
	return cols, rows, nil
}
