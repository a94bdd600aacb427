package printers

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kubesim/kubesim/objects"
)

// Expected texts are written from upstream's printers
// (pkg/printers/internalversion/printers.go printPersistentVolume,
// printPersistentVolumeClaim, printStorageClass(List)) and describers
// (kubectl describe.go describePersistentVolumeClaim,
// printPersistentVolumeClaim, printPodsMultiline, DescribeEvents), laid out
// by kubectl's tabwriters (get: minwidth 6, padding 3; describe: padding 2).

func storageList(q string) objects.ResourceList {
	return objects.ResourceList{objects.ResourceStorage: objects.MustParseQuantity(q)}
}

func claimRefTo(namespace, name string) *objects.ObjectReference {
	return &objects.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: namespace, Name: name, UID: "uid-" + name}
}

func testPV(name, size string, created time.Duration, modes []string, reclaim, phase string) *objects.PersistentVolume {
	return &objects.PersistentVolume{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: meta("", name, created),
		Spec: objects.PersistentVolumeSpec{Capacity: storageList(size), AccessModes: modes,
			PersistentVolumeSource:        objects.PersistentVolumeSource{NFS: &objects.NFSVolumeSource{Server: "192.168.122.24", Path: "/mnt/" + name}},
			PersistentVolumeReclaimPolicy: reclaim, VolumeMode: ptr(objects.PersistentVolumeFilesystem)},
		Status: objects.PersistentVolumeStatus{Phase: phase},
	}
}

func testPVC(name string, created time.Duration, phase string) *objects.PersistentVolumeClaim {
	return &objects.PersistentVolumeClaim{
		TypeMeta:   objects.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: meta("default", name, created),
		Spec: objects.PersistentVolumeClaimSpec{AccessModes: []string{objects.ReadWriteOnce}, Resources: objects.VolumeResourceRequirements{Requests: storageList("1Gi")},
			StorageClassName: ptr(""), VolumeMode: ptr(objects.PersistentVolumeFilesystem)},
		Status: objects.PersistentVolumeClaimStatus{Phase: phase},
	}
}

// bound makes c bound to volume with the volume's capacity and modes in its status.
func bound(c *objects.PersistentVolumeClaim, volume, capacity string, modes ...string) *objects.PersistentVolumeClaim {
	c.Spec.VolumeName = volume
	c.Status = objects.PersistentVolumeClaimStatus{Phase: objects.ClaimBound, AccessModes: modes, Capacity: storageList(capacity)}
	return c
}

func testClass(name, provisioner string, created time.Duration, ann map[string]string) *objects.StorageClass {
	return &objects.StorageClass{
		TypeMeta:    objects.TypeMeta{APIVersion: "storage.k8s.io/v1", Kind: "StorageClass"},
		ObjectMeta:  objects.ObjectMeta{Name: name, CreationTimestamp: at(created), Annotations: ann},
		Provisioner: provisioner, ReclaimPolicy: ptr(objects.ReclaimDelete), VolumeBindingMode: ptr(objects.VolumeBindingImmediate),
	}
}

func TestGetPersistentVolumes(t *testing.T) {
	mysql := testPV("mysql-pv", "10Gi", 0, []string{objects.ReadWriteOnce}, objects.ReclaimRetain, objects.VolumeBound)
	mysql.Spec.ClaimRef = claimRefTo("default", "mysql-pv-claim")
	old := testPV("old", "2Gi", 0, []string{objects.ReadWriteOncePod}, objects.ReclaimRetain, objects.VolumeBound)
	old.Spec.ClaimRef = claimRefTo("default", "old-claim")
	old.DeletionTimestamp = atPtr(3 * time.Minute)
	released := testPV("pvc-55260f5b-a1ac-4911-b186-9bd36e628ba0", "100Mi", time.Minute, []string{objects.ReadWriteMany}, objects.ReclaimDelete, objects.VolumeReleased)
	released.Spec.ClaimRef = claimRefTo("default", "test-claim")
	released.Spec.StorageClassName = "managed-nfs-storage"
	// Modes print in the canonical order, whatever the spec's.
	shared := testPV("shared", "1.5Gi", 3*time.Minute+50*time.Second,
		[]string{objects.ReadWriteMany, objects.ReadWriteOnce, objects.ReadOnlyMany}, objects.ReclaimRetain, objects.VolumeAvailable)
	shared.Spec.VolumeAttributesClassName = ptr("gold")

	assert.Equal(t, ""+
		"NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS        CLAIM                    STORAGECLASS          VOLUMEATTRIBUTESCLASS   REASON   AGE\n"+
		"mysql-pv                                   10Gi       RWO            Retain           Bound         default/mysql-pv-claim                         <unset>                          4m\n"+
		"old                                        2Gi        RWOP           Retain           Terminating   default/old-claim                              <unset>                          4m\n"+
		"pvc-55260f5b-a1ac-4911-b186-9bd36e628ba0   100Mi      RWX            Delete           Released      default/test-claim       managed-nfs-storage   <unset>                          3m\n"+
		"shared                                     1536Mi     RWO,ROX,RWX    Retain           Available                                                    gold                             10s\n",
		table(t, Options{Now: now}, mysql, old, released, shared))
}

func TestGetPersistentVolumesWide(t *testing.T) {
	block := testPV("block", "1Gi", 0, []string{objects.ReadWriteOnce}, objects.ReclaimRetain, objects.VolumeAvailable)
	block.Spec.VolumeMode = ptr(objects.PersistentVolumeBlock)
	unset := testPV("unset", "1Gi", 0, []string{objects.ReadWriteOnce}, objects.ReclaimRetain, objects.VolumeAvailable)
	unset.Spec.VolumeMode = nil
	assert.Equal(t, ""+
		"NAME    CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE   VOLUMEMODE\n"+
		"block   1Gi        RWO            Retain           Available                          <unset>                          4m    Block\n"+
		"unset   1Gi        RWO            Retain           Available                          <unset>                          4m    <unset>\n",
		table(t, Options{Now: now, Wide: true}, block, unset))
}

// CAPACITY and ACCESS MODES come from the status (the volume's), and only
// once the claim names a volume; a Pending claim without one shows blanks.
func TestGetPersistentVolumeClaims(t *testing.T) {
	mysql := bound(testPVC("mysql-pv-claim", 0, ""), "mysql-pv", "10Gi", objects.ReadWriteOnce)
	pending := testPVC("pending-claim", 3*time.Minute+50*time.Second, objects.ClaimPending)
	pending.Spec.StorageClassName = ptr("managed-nfs-storage")
	terminating := bound(testPVC("terminating", 0, ""), "pv-x", "5Gi", objects.ReadWriteMany, objects.ReadWriteOnce)
	terminating.Spec.StorageClassName = ptr("fast")
	terminating.Spec.VolumeAttributesClassName = ptr("silver")
	terminating.DeletionTimestamp = atPtr(3 * time.Minute)

	assert.Equal(t, ""+
		"NAME             STATUS        VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS          VOLUMEATTRIBUTESCLASS   AGE\n"+
		"mysql-pv-claim   Bound         mysql-pv   10Gi       RWO                                  <unset>                 4m\n"+
		"pending-claim    Pending                                            managed-nfs-storage   <unset>                 10s\n"+
		"terminating      Terminating   pv-x       5Gi        RWO,RWX        fast                  silver                  4m\n",
		table(t, Options{Now: now}, mysql, pending, terminating))
}

// A claim whose user named its volume, not bound yet: upstream prints
// status.capacity[storage].String(), and the zero Quantity prints "0".
func TestGetPreboundPendingClaimShowsZeroCapacity(t *testing.T) {
	c := testPVC("prebound", 3*time.Minute+50*time.Second, objects.ClaimPending)
	c.Spec.VolumeName = "reserved"
	assert.Equal(t, ""+
		"NAME       STATUS    VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"+
		"prebound   Pending   reserved   0                                        <unset>                 10s\n",
		table(t, Options{Now: now}, c))
}

func TestGetPersistentVolumeClaimsWide(t *testing.T) {
	block := testPVC("block", 0, objects.ClaimPending)
	block.Spec.VolumeMode = ptr(objects.PersistentVolumeBlock)
	unset := testPVC("unset", 0, objects.ClaimPending)
	unset.Spec.VolumeMode = nil
	assert.Equal(t, ""+
		"NAME    STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE   VOLUMEMODE\n"+
		"block   Pending                                                     <unset>                 4m    Block\n"+
		"unset   Pending                                                     <unset>                 4m    <unset>\n",
		table(t, Options{Now: now, Wide: true}, block, unset))
}

// Unset reclaim policy and binding mode print their defaults, unset
// expansion prints false; the default annotation (also the beta one) must
// be exactly "true".
func TestGetStorageClasses(t *testing.T) {
	fast := testClass("fast", "example.com/fast", time.Minute, nil)
	fast.ReclaimPolicy = nil
	fast.VolumeBindingMode = ptr(objects.VolumeBindingWaitForFirstConsumer)
	fast.AllowVolumeExpansion = ptr(true)
	legacy := testClass("legacy", "example.com/legacy", 0, map[string]string{objects.AnnBetaIsDefaultStorageClass: "true"})
	nfs := testClass("managed-nfs-storage", "gxf-nfs-storage", 0, nil)
	nfs.ReclaimPolicy = ptr(objects.ReclaimRetain)
	nfs.VolumeBindingMode = nil
	notDefault := testClass("not-default", "example.com/x", 0, map[string]string{objects.AnnIsDefaultStorageClass: "True"})
	assert.Equal(t, ""+
		"NAME                  PROVISIONER          RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"+
		"fast                  example.com/fast     Delete          WaitForFirstConsumer   true                   3m\n"+
		"legacy (default)      example.com/legacy   Delete          Immediate              false                  4m\n"+
		"managed-nfs-storage   gxf-nfs-storage      Retain          Immediate              false                  4m\n"+
		"not-default           example.com/x        Delete          Immediate              false                  4m\n",
		table(t, Options{Now: now}, fast, legacy, nfs, notDefault))
}

// With several classes marked default, a list marks only the effective
// default, the newest (printStorageClassList getEffectiveDefaultStorageClass,
// per the research notes on v1.37), as the admission plugin picks it.
func TestGetStorageClassesMarksOnlyEffectiveDefault(t *testing.T) {
	def := map[string]string{objects.AnnIsDefaultStorageClass: "true"}
	assert.Equal(t, ""+
		"NAME              PROVISIONER     RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE\n"+
		"newer (default)   example.com/b   Delete          Immediate           false                  3m\n"+
		"older             example.com/a   Delete          Immediate           false                  4m\n",
		table(t, Options{Now: now}, testClass("newer", "example.com/b", time.Minute, def), testClass("older", "example.com/a", 0, def)))
}

func podWithClaim(namespace, name, claim string) *objects.Pod {
	return &objects.Pod{ObjectMeta: meta(namespace, name, 0), Spec: objects.PodSpec{Containers: containers("c"),
		Volumes: []objects.Volume{{Name: "data", PersistentVolumeClaim: &objects.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}}}
}

func claimEvent(name, typ, reason, claim, component, message string, d time.Duration) *objects.Event {
	return &objects.Event{
		ObjectMeta:     meta("default", name, d),
		InvolvedObject: objects.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: "default", Name: claim, APIVersion: "v1"},
		Reason:         reason, Message: message, Type: typ, Count: 1,
		Source:         objects.EventSource{Component: component},
		FirstTimestamp: at(d), LastTimestamp: at(d),
	}
}

func TestDescribePersistentVolumeClaim(t *testing.T) {
	provisioned := bound(testPVC("test-claim", 0, ""), "pvc-55260f5b-a1ac-4911-b186-9bd36e628ba0", "100Mi", objects.ReadWriteMany)
	provisioned.Spec.StorageClassName = ptr("managed-nfs-storage")
	provisioned.Finalizers = []string{objects.FinalizerPVCProtection}
	provisioned.Annotations = map[string]string{
		objects.AnnBindCompleted: "yes", objects.AnnBoundByController: "yes",
		objects.AnnStorageProvisioner: "gxf-nfs-storage", objects.AnnBetaStorageProvisioner: "gxf-nfs-storage",
	}

	mysql := bound(testPVC("mysql-pv-claim", 0, ""), "mysql-pv", "10Gi", objects.ReadWriteOnce)
	mysql.Labels = map[string]string{"app": "mysql"}
	mysql.Finalizers = []string{objects.FinalizerPVCProtection}
	mysql.Annotations = map[string]string{objects.AnnBindCompleted: "yes", objects.AnnBoundByController: "yes"}

	prebound := testPVC("prebound", 0, objects.ClaimPending)
	prebound.Spec.VolumeName = "reserved"
	prebound.Finalizers = []string{objects.FinalizerPVCProtection}

	terminating := testPVC("leaving", 0, objects.ClaimPending)
	terminating.DeletionTimestamp = atPtr(3*time.Minute + 30*time.Second)
	terminating.Spec.VolumeMode = nil

	for _, tt := range []struct {
		name   string
		claim  *objects.PersistentVolumeClaim
		pods   []*objects.Pod
		events []*objects.Event
		want   string
	}{
		{name: "provisioned, one user, events", claim: provisioned,
			pods: []*objects.Pod{podWithClaim("default", "test-pod", "test-claim"), podWithClaim("default", "other", "mysql-pv-claim")},
			events: []*objects.Event{
				claimEvent("e1", "Normal", "Provisioning", "test-claim", "nfs-subdir-external-provisioner",
					`External provisioner is provisioning volume for claim "default/test-claim"`, time.Minute),
				claimEvent("e2", "Normal", "ProvisioningSucceeded", "test-claim", "nfs-subdir-external-provisioner",
					"Successfully provisioned volume pvc-55260f5b-a1ac-4911-b186-9bd36e628ba0", time.Minute),
			},
			want: "" +
				"Name:          test-claim\n" +
				"Namespace:     default\n" +
				"StorageClass:  managed-nfs-storage\n" +
				"Status:        Bound\n" +
				"Volume:        pvc-55260f5b-a1ac-4911-b186-9bd36e628ba0\n" +
				"Labels:        <none>\n" +
				"Annotations:   pv.kubernetes.io/bind-completed: yes\n" +
				"               pv.kubernetes.io/bound-by-controller: yes\n" +
				"               volume.beta.kubernetes.io/storage-provisioner: gxf-nfs-storage\n" +
				"               volume.kubernetes.io/storage-provisioner: gxf-nfs-storage\n" +
				"Finalizers:    [kubernetes.io/pvc-protection]\n" +
				"Capacity:      100Mi\n" +
				"Access Modes:  RWX\n" +
				"VolumeMode:    Filesystem\n" +
				"Used By:       test-pod\n" +
				"Events:\n" +
				"  Type    Reason                 Age   From                             Message\n" +
				"  ----    ------                 ----  ----                             -------\n" +
				"  Normal  Provisioning           3m    nfs-subdir-external-provisioner  External provisioner is provisioning volume for claim \"default/test-claim\"\n" +
				"  Normal  ProvisioningSucceeded  3m    nfs-subdir-external-provisioner  Successfully provisioned volume pvc-55260f5b-a1ac-4911-b186-9bd36e628ba0\n"},
		// printPodsMultiline writes each further pod as "\t<name>", so the
		// lines stay in the tabwriter's column block and Events lines up.
		{name: "two users, no events", claim: mysql,
			pods: []*objects.Pod{podWithClaim("default", "mysql-b", "mysql-pv-claim"), podWithClaim("default", "mysql-a", "mysql-pv-claim"),
				podWithClaim("other", "elsewhere", "mysql-pv-claim")},
			want: "" +
				"Name:          mysql-pv-claim\n" +
				"Namespace:     default\n" +
				"StorageClass:  \n" +
				"Status:        Bound\n" +
				"Volume:        mysql-pv\n" +
				"Labels:        app=mysql\n" +
				"Annotations:   pv.kubernetes.io/bind-completed: yes\n" +
				"               pv.kubernetes.io/bound-by-controller: yes\n" +
				"Finalizers:    [kubernetes.io/pvc-protection]\n" +
				"Capacity:      10Gi\n" +
				"Access Modes:  RWO\n" +
				"VolumeMode:    Filesystem\n" +
				"Used By:       mysql-a\n" +
				"               mysql-b\n" +
				"Events:        <none>\n"},
		{name: "pre-bound, pending", claim: prebound,
			events: []*objects.Event{claimEvent("e1", "Warning", "VolumeMismatch", "prebound", "persistentvolume-controller",
				`Cannot bind to requested volume "reserved": requested PV is too small`, 3*time.Minute+50*time.Second)},
			want: "" +
				"Name:          prebound\n" +
				"Namespace:     default\n" +
				"StorageClass:  \n" +
				"Status:        Pending\n" +
				"Volume:        reserved\n" +
				"Labels:        <none>\n" +
				"Annotations:   <none>\n" +
				"Finalizers:    [kubernetes.io/pvc-protection]\n" +
				"Capacity:      0\n" +
				"Access Modes:  \n" +
				"VolumeMode:    Filesystem\n" +
				"Used By:       <none>\n" +
				"Events:\n" +
				"  Type     Reason          Age   From                         Message\n" +
				"  ----     ------          ----  ----                         -------\n" +
				"  Warning  VolumeMismatch  10s   persistentvolume-controller  Cannot bind to requested volume \"reserved\": requested PV is too small\n"},
		{name: "terminating, no volume mode", claim: terminating,
			want: "" +
				"Name:          leaving\n" +
				"Namespace:     default\n" +
				"StorageClass:  \n" +
				"Status:        Terminating (lasts 30s)\n" +
				"Volume:        \n" +
				"Labels:        <none>\n" +
				"Annotations:   <none>\n" +
				"Finalizers:    []\n" +
				"Capacity:      \n" +
				"Access Modes:  \n" +
				"Used By:       <none>\n" +
				"Events:        <none>\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, describe(t, tt.claim, DescribeOptions{Now: now, Pods: tt.pods, Events: tt.events}))
		})
	}
}
