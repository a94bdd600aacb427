package host

import "strings"

// kubeletFiles are a kubeadm node's kubelet files.
func (m *Machine) kubeletFiles() map[string]string {
	return map[string]string{
		"/usr/lib/systemd/system/kubelet.service":    "[Unit]\nDescription=kubelet: The Kubernetes Node Agent\nDocumentation=https://kubernetes.io/docs/\n\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\nStartLimitInterval=0\nRestartSec=10\n\n[Install]\nWantedBy=multi-user.target\n",
		"/usr/lib/systemd/system/containerd.service": "[Unit]\nDescription=containerd container runtime\n\n[Service]\nExecStart=/usr/bin/containerd\n\n[Install]\nWantedBy=multi-user.target\n",
		"/usr/bin/kubelet":                           "(simulated kubelet v" + m.KubernetesVersion + ")\n",
		"/usr/bin/kubeadm":                           "(simulated kubeadm v" + m.KubernetesVersion + ")\n",
		"/usr/bin/containerd":                        "(simulated containerd 1.7.24)\n",
		"/var/lib/kubelet/config.yaml": "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n" +
			"cgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nstaticPodPath: /etc/kubernetes/manifests\n",
		"/etc/kubernetes/kubelet.conf": "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://" + m.controlPlaneAddress() + ":6443\n  name: kubernetes\n",
		"/etc/kubernetes/pki/ca.crt":   "-----BEGIN CERTIFICATE-----\n(simulated)\n-----END CERTIFICATE-----\n",
	}
}

// controlPlaneAddress is the apiserver's address as a node knows it: its
// own for the control plane, the peers' control plane otherwise (kubesim
// writes the node's own address when it cannot tell).
func (m *Machine) controlPlaneAddress() string { return m.IP }

// registry is where kubeadm pulls the control plane's images for a
// release: k8s.gcr.io up to 1.24, registry.k8s.io after.
func registry(version string) string {
	if minor(version) <= 24 {
		return "k8s.gcr.io"
	}
	return "registry.k8s.io"
}

// minor is a release's minor number ("1.21.14" is 21).
func minor(version string) int {
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	if len(parts) < 2 {
		return 0
	}
	n := 0
	for _, c := range parts[1] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// APIServerManifest is the path of the apiserver's static pod manifest.
const APIServerManifest = "/etc/kubernetes/manifests/kube-apiserver.yaml"

// controlPlaneFiles are kubeadm's control plane files: the static pods'
// manifests and admin.conf.
func (m *Machine) controlPlaneFiles() map[string]string {
	reg, v := registry(m.KubernetesVersion), "v"+m.KubernetesVersion
	return map[string]string{
		APIServerManifest: `apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: ` + m.IP + `:6443
  creationTimestamp: null
  labels:
    component: kube-apiserver
    tier: control-plane
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --advertise-address=` + m.IP + `
    - --allow-privileged=true
    - --authorization-mode=Node,RBAC
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --enable-admission-plugins=NodeRestriction
    - --enable-bootstrap-token-auth=true
    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    - --etcd-servers=https://127.0.0.1:2379
    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
    - --proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt
    - --proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key
    - --requestheader-allowed-names=front-proxy-client
    - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
    - --requestheader-extra-headers-prefix=X-Remote-Extra-
    - --requestheader-group-headers=X-Remote-Group
    - --requestheader-username-headers=X-Remote-User
    - --secure-port=6443
    - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=10.96.0.0/12
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    image: ` + reg + `/kube-apiserver:` + v + `
    imagePullPolicy: IfNotPresent
    name: kube-apiserver
    resources:
      requests:
        cpu: 250m
  hostNetwork: true
  priorityClassName: system-node-critical
status: {}
`,
		"/etc/kubernetes/manifests/kube-controller-manager.yaml": staticPod("kube-controller-manager", reg, v),
		"/etc/kubernetes/manifests/kube-scheduler.yaml":          staticPod("kube-scheduler", reg, v),
		"/etc/kubernetes/manifests/etcd.yaml":                    staticPod("etcd", reg, "3.5.15-0"),
		"/etc/kubernetes/admin.conf": "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://" + m.IP +
			":6443\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: kubernetes-admin\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\n",
	}
}

// staticPod is a control plane component's manifest, shortened.
func staticPod(name, reg, tag string) string {
	return "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    component: " + name + "\n    tier: control-plane\n  name: " + name +
		"\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - " + name + "\n    image: " + reg + "/" + name + ":" + tag +
		"\n    name: " + name + "\n  hostNetwork: true\n  priorityClassName: system-node-critical\nstatus: {}\n"
}
