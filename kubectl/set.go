package kubectl

import (
	"errors"
	"fmt"

	"github.com/kubesim/kubesim/objects"
)

// This file is kubectl set image (k8s.io/kubectl pkg/cmd/set/set_image.go):
// CONTAINER=IMAGE pairs change the named containers and init containers
// of a pod or a workload's pod template ("*" names them all), and each
// changed object prints "<resource>/<name> image updated"; an object that
// already runs those images is sent no patch and prints nothing.

var setFlags = []flagSpec{
	{long: "all"},
	{long: "selector", short: "l", hasValue: true},
}

// set handles `set image ...`; the other set subcommands are not modelled.
func (k *Kubectl) set(inv *invocation) error {
	if len(inv.p.args) == 0 || inv.p.args[0] != "image" {
		return &usageError{msg: "only \"kubectl set image\" is supported", verb: "set"}
	}
	return k.setImage(inv, inv.p.args[1:])
}

// setImage is SetImageOptions' Complete, Validate and Run.
func (k *Kubectl) setImage(inv *invocation, args []string) error {
	resources, pairs, err := resourcesAndPairs(args, "image")
	if err != nil {
		return err
	}
	images, err := parseImagePairs(pairs)
	if err != nil {
		return err
	}
	var problems []error
	if inv.p.bool("all") && inv.p.get("selector") != "" {
		problems = append(problems, errors.New("cannot set --all and --selector at the same time"))
	}
	if len(resources) == 0 {
		problems = append(problems, errors.New("one or more resources must be specified as <resource> <name> or <resource>/<name>"))
	}
	_, wildcard := images["*"]
	if len(images) == 0 {
		problems = append(problems, errors.New("at least one image update is required"))
	} else if len(images) > 1 && wildcard {
		problems = append(problems, errors.New("all containers are already specified by *, but saw more than one container_name=container_image pairs"))
	}
	if agg := newAggregate(problems); agg != nil {
		return errors.New(checkErr(agg))
	}
	targets, err := resolveTargets(resources)
	if err != nil {
		return err
	}
	keys, _, err := k.targetKeys(inv, targets)
	if err != nil {
		return err
	}
	var objs []objects.Object
	for _, key := range keys {
		obj, err := k.c.Get(key)
		if err != nil {
			return serverError(err, "")
		}
		objs = append(objs, obj)
	}
	var errs []error
	for _, obj := range objs {
		errs = append(errs, k.setImageOne(inv, obj, images)...)
	}
	if agg := newAggregate(errs); agg != nil {
		return errors.New(checkErr(agg))
	}
	return nil
}

// setImageOne changes one object's images and sends it when that changed
// anything.
func (k *Kubectl) setImageOne(inv *invocation, obj objects.Object, images map[string]string) []error {
	obj = obj.DeepCopyObject() // the store's objects are shared and read-only
	spec, ok := podSpecOf(obj)
	if !ok {
		return []error{fmt.Errorf("error: %s %v\n", resourceName(obj), fmt.Sprintf("*v1.%s is not supported", obj.GetTypeMeta().Kind))}
	}
	var errs []error
	changed := false
	for _, name := range sortedKeysOf(images) {
		initFound, initChanged := setContainerImage(spec.InitContainers, name, images[name])
		found, mainChanged := setContainerImage(spec.Containers, name, images[name])
		if !found && !initFound {
			errs = append(errs, fmt.Errorf("error: unable to find container named %q", name))
		}
		changed = changed || initChanged || mainChanged
	}
	if !changed {
		return errs
	}
	out, err := k.c.Update(obj)
	if err != nil {
		return append(errs, fmt.Errorf("failed to patch image update to pod template: %v", statusMessage(err)))
	}
	warner{}.about(inv, out)
	inv.printf("%s image updated\n", resourceName(out))
	return errs
}

// setContainerImage sets the image of the containers named name (all for
// "*"), reporting whether one was found and whether one changed.
func setContainerImage(cs []objects.Container, name, image string) (found, changed bool) {
	for i := range cs {
		if cs[i].Name == name || name == "*" {
			found = true
			if cs[i].Image != image {
				cs[i].Image, changed = image, true
			}
		}
	}
	return found, changed
}

// podSpecOf is UpdatePodSpecForObject's reach: a Pod's spec, or the pod
// template's of a workload.
func podSpecOf(obj objects.Object) (*objects.PodSpec, bool) {
	switch o := obj.(type) {
	case *objects.Pod:
		return &o.Spec, true
	case *objects.Deployment:
		return &o.Spec.Template.Spec, true
	case *objects.ReplicaSet:
		return &o.Spec.Template.Spec, true
	case *objects.StatefulSet:
		return &o.Spec.Template.Spec, true
	case *objects.Job:
		return &o.Spec.Template.Spec, true
	case *objects.CronJob:
		return &o.Spec.JobTemplate.Spec.Template.Spec, true
	}
	return nil, false
}

// parseImagePairs is ParsePairs without removal: CONTAINER=IMAGE.
func parseImagePairs(pairs []string) (map[string]string, error) {
	set, remove, err := parsePairs(pairs, "image")
	if err != nil {
		return nil, err
	}
	if len(remove) > 0 {
		return nil, plainError("invalid image format: %s", remove[0]+"-")
	}
	return set, nil
}
