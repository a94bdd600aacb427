package kubectl

// The everyday verbs beyond the first set (issue 14) register here, in an
// init that runs after kubectl.go's: Go runs a package's init functions in
// the order of its file names, and "verbs_more.go" sorts after
// "kubectl.go", whose init builds the verbs map.
func init() {
	more := map[string]verb{
		// kubectl top pods: without metrics-server, kubectl's error
		"top": {flags: topFlags, run: (*Kubectl).top},
		// kubectl version
		"version": {flags: versionFlags, run: (*Kubectl).version},
		// kubectl cluster-info
		"cluster-info": {flags: nil, run: (*Kubectl).clusterInfo},
		// kubectl annotate pod web note=hello
		"annotate": {flags: annotateFlags, run: (*Kubectl).annotate},
		// kubectl run box --image=busybox --restart=Never -- sh -c "..."
		"run": {flags: runFlags, run: (*Kubectl).run},
		// kubectl expose deployment web --port=80 --type=NodePort
		"expose": {flags: exposeFlags, run: (*Kubectl).expose},
		// kubectl set image deployment/web nginx=nginx:1.26
		"set": {flags: setFlags, run: (*Kubectl).set},
		// kubectl api-resources --namespaced=true
		"api-resources": {flags: apiResourcesFlags, run: (*Kubectl).apiResources},
		// kubectl explain job.spec.backoffLimit | kubectl explain cronjob.spec --recursive
		"explain": {flags: explainFlags, run: (*Kubectl).explain},
	}
	for name, v := range more {
		if _, dup := verbs[name]; dup {
			panic("kubectl: verb registered twice: " + name)
		}
		verbs[name] = v
	}
}
