package printers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kubesim/kubesim/objects"
)

// Tables of kinds kubesim stores without modelling them (objects.Unstructured),
// read from their JSON content. They are described with the generic
// describer (kubectl has its own describers for them; see the package report).
func init() {
	// Kinds whose apiserver storage has no printer use the default table
	// convertor (apiserver pkg/registry/rest/table.go): NAME, CREATED AT.
	for _, kind := range []string{"Role", "ClusterRole", "LimitRange", "CustomResourceDefinition"} {
		register(kind, kindPrinter{
			columns: []column{{name: "Name", isName: true}, {name: "Created At"}},
			row:     createdAtRow,
		})
	}
	register("ServiceAccount", kindPrinter{
		columns: []column{{name: "Name", isName: true}, {name: "Secrets"}, {name: "Age"}},
		row:     serviceAccountRow,
	})
	bindingColumns := []column{
		{name: "Name", isName: true}, {name: "Role"}, {name: "Age"},
		{name: "Users", wide: true}, {name: "Groups", wide: true}, {name: "ServiceAccounts", wide: true},
	}
	register("RoleBinding", kindPrinter{columns: bindingColumns, row: bindingRow})
	register("ClusterRoleBinding", kindPrinter{columns: bindingColumns, row: bindingRow})
}

// createdAtRow is the default table convertor's row: the name and the
// creation time in RFC 3339, UTC.
func createdAtRow(obj objects.Object, _ time.Time) ([]string, error) {
	m := obj.GetObjectMeta()
	return []string{m.Name, m.CreationTimestamp.UTC().Format(time.RFC3339)}, nil
}

// serviceAccountRow is printers.go printServiceAccount: the number of
// secrets listed in the account.
func serviceAccountRow(obj objects.Object, now time.Time) ([]string, error) {
	tree, err := objectTree(obj)
	if err != nil {
		return nil, err
	}
	m := obj.GetObjectMeta()
	return []string{m.Name, strconv.Itoa(len(nestedSlice(tree, "secrets"))), since(m.CreationTimestamp, now)}, nil
}

// bindingRow is printers.go printRoleBinding/printClusterRoleBinding: the
// role as Kind/name and, wide, the subjects by kind.
func bindingRow(obj objects.Object, now time.Time) ([]string, error) {
	tree, err := objectTree(obj)
	if err != nil {
		return nil, err
	}
	m := obj.GetObjectMeta()
	role := nestedString(tree, "roleRef", "kind") + "/" + nestedString(tree, "roleRef", "name")
	var users, groups, sas []string
	for _, s := range nestedSlice(tree, "subjects") {
		subject, _ := s.(map[string]any)
		name := nestedString(subject, "name")
		switch nestedString(subject, "kind") {
		case "ServiceAccount":
			sas = append(sas, fmt.Sprintf("%s/%s", nestedString(subject, "namespace"), name))
		case "User":
			users = append(users, name)
		case "Group":
			groups = append(groups, name)
		}
	}
	return []string{m.Name, role, since(m.CreationTimestamp, now),
		strings.Join(users, ", "), strings.Join(groups, ", "), strings.Join(sas, ", ")}, nil
}
