package storage_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kubesim/kubesim/clock"
	"github.com/kubesim/kubesim/objects"
	"github.com/kubesim/kubesim/storage"
)

func ExampleStore() {
	clk := clock.NewFake(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	s := storage.New(clk, rand.New(rand.NewPCG(1, 2)))

	// The simulation creates the namespaces; the store does not.
	if _, err := s.Create(&objects.Namespace{ObjectMeta: objects.ObjectMeta{Name: "default"}}); err != nil {
		fmt.Println(err)
		return
	}
	out, err := s.Create(&objects.Pod{
		ObjectMeta: objects.ObjectMeta{GenerateName: "pi-"},
		Spec:       objects.PodSpec{Containers: []objects.Container{{Name: "pi", Image: "perl:5.34"}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// What the store returns is shared with every reader: copy it to change it.
	p := out.(*objects.Pod).DeepCopy()
	fmt.Println(p.Namespace, p.Name, p.ResourceVersion, p.Status.Phase)

	// A writer holding an old copy loses the race.
	stale := p.DeepCopy()
	p.Labels = map[string]string{"app": "pi"}
	if _, err := s.Update(p); err != nil {
		fmt.Println(err)
		return
	}
	_, err = s.Update(stale)
	fmt.Println(errors.Is(err, storage.ErrConflict), err)

	_, err = s.Get(objects.Key{Kind: "Pod", Namespace: "default", Name: "pi-x"})
	fmt.Println(err)

	for _, e := range s.DrainEvents() {
		fmt.Println(e.ResourceVersion, e.Type, objects.KeyOf(e.Object))
	}
	// Output:
	// default pi-zrclc 2 Pending
	// true Operation cannot be fulfilled on pods "pi-zrclc": the object has been modified; please apply your changes to the latest version and try again
	// pods "pi-x" not found
	// 1 ADDED Namespace/default
	// 2 ADDED Pod/default/pi-zrclc
	// 3 MODIFIED Pod/default/pi-zrclc
}
