package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apiserver/pkg/admission"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	api "k8s.io/kubernetes/pkg/apis/core"
	"k8s.io/kubernetes/plugin/pkg/admission/defaulttolerationseconds"
	"k8s.io/kubernetes/plugin/pkg/admission/priority"
	"k8s.io/kubernetes/plugin/pkg/admission/runtimeclass"

	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/node/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/scheduling/install"
	_ "k8s.io/kubernetes/pkg/apis/storage/install"

	rsregistry "k8s.io/kubernetes/pkg/registry/apps/replicaset"
	ssregistry "k8s.io/kubernetes/pkg/registry/apps/statefulset"
	nsregistry "k8s.io/kubernetes/pkg/registry/core/namespace"
	noderegistry "k8s.io/kubernetes/pkg/registry/core/node"
	pvregistry "k8s.io/kubernetes/pkg/registry/core/persistentvolume"
	pvcregistry "k8s.io/kubernetes/pkg/registry/core/persistentvolumeclaim"
	podregistry "k8s.io/kubernetes/pkg/registry/core/pod"
	rcregistry "k8s.io/kubernetes/pkg/registry/core/replicationcontroller"
	runtimeclassregistry "k8s.io/kubernetes/pkg/registry/node/runtimeclass"
	pdbregistry "k8s.io/kubernetes/pkg/registry/policy/poddisruptionbudget"
	pcregistry "k8s.io/kubernetes/pkg/registry/scheduling/priorityclass"
	csidriverregistry "k8s.io/kubernetes/pkg/registry/storage/csidriver"
	csinoderegistry "k8s.io/kubernetes/pkg/registry/storage/csinode"
	csiscregistry "k8s.io/kubernetes/pkg/registry/storage/csistoragecapacity"
	scregistry "k8s.io/kubernetes/pkg/registry/storage/storageclass"
	varegistry "k8s.io/kubernetes/pkg/registry/storage/volumeattachment"
)

// strictCodecs decodes versioned objects (no conversion, no defaulting) and rejects unknown or
// duplicate fields, as kube-apiserver's strict field validation does.
var strictCodecs = serializer.NewCodecFactory(clientgoscheme.Scheme, serializer.EnableStrict)

// kindInfo says how kube-apiserver creates an object of a kind the oracle accepts in `objects`.
type kindInfo struct {
	gvk      schema.GroupVersionKind
	resource string
	// strategy is the registry's create strategy (PrepareForCreate + validation); nil = defaulting only.
	strategy rest.RESTCreateStrategy
}

var acceptedKinds = map[string]kindInfo{}

func init() {
	add := func(group, version, kind, resource string, strategy rest.RESTCreateStrategy) {
		acceptedKinds[kind] = kindInfo{schema.GroupVersionKind{Group: group, Version: version, Kind: kind}, resource, strategy}
	}
	add("", "v1", "Pod", "pods", podregistry.Strategy)
	add("", "v1", "Node", "nodes", noderegistry.Strategy)
	add("", "v1", "Namespace", "namespaces", nsregistry.Strategy)
	add("", "v1", "PersistentVolume", "persistentvolumes", pvregistry.Strategy)
	add("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", pvcregistry.Strategy)
	add("", "v1", "ReplicationController", "replicationcontrollers", rcregistry.Strategy)
	// Service creation needs the IP allocators of the service REST storage; defaulting only.
	add("", "v1", "Service", "services", nil)
	add("storage.k8s.io", "v1", "StorageClass", "storageclasses", scregistry.Strategy)
	add("storage.k8s.io", "v1", "CSINode", "csinodes", csinoderegistry.Strategy)
	add("storage.k8s.io", "v1", "CSIDriver", "csidrivers", csidriverregistry.Strategy)
	add("storage.k8s.io", "v1", "CSIStorageCapacity", "csistoragecapacities", csiscregistry.Strategy)
	add("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", varegistry.Strategy)
	add("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", pcregistry.Strategy)
	add("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", pdbregistry.Strategy)
	add("apps", "v1", "ReplicaSet", "replicasets", rsregistry.Strategy)
	add("apps", "v1", "StatefulSet", "statefulsets", ssregistry.Strategy)
	add("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", runtimeclassregistry.Strategy)
}

// decodeObject strictly decodes one versioned object. wantKind, when set, is the kind the field
// must hold; apiVersion/kind may then be omitted. Otherwise apiVersion/kind are required.
func decodeObject(raw json.RawMessage, wantKind string) (runtime.Object, error) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if m == nil {
		return nil, fmt.Errorf("null is not an object")
	}
	var tm metav1.TypeMeta
	if b, ok := m["apiVersion"]; ok {
		if err := json.Unmarshal(b, &tm.APIVersion); err != nil {
			return nil, fmt.Errorf("apiVersion: %v", err)
		}
	}
	if b, ok := m["kind"]; ok {
		if err := json.Unmarshal(b, &tm.Kind); err != nil {
			return nil, fmt.Errorf("kind: %v", err)
		}
	}
	if wantKind != "" {
		info := acceptedKinds[wantKind]
		if tm.Kind == "" {
			tm.Kind = wantKind
		}
		if tm.APIVersion == "" {
			tm.APIVersion = info.gvk.GroupVersion().String()
		}
		if tm.Kind != wantKind || tm.APIVersion != info.gvk.GroupVersion().String() {
			return nil, fmt.Errorf("expected %s %s, got %s %s", info.gvk.GroupVersion(), wantKind, tm.APIVersion, tm.Kind)
		}
	} else {
		if tm.Kind == "" || tm.APIVersion == "" {
			return nil, fmt.Errorf("apiVersion and kind are required")
		}
		info, ok := acceptedKinds[tm.Kind]
		if !ok || info.gvk.GroupVersion().String() != tm.APIVersion {
			return nil, fmt.Errorf("unsupported object %s %s (accepted: %s)", tm.APIVersion, tm.Kind, strings.Join(sortedKeys(acceptedKinds), ", "))
		}
	}
	ab, _ := json.Marshal(tm.APIVersion)
	kb, _ := json.Marshal(tm.Kind)
	m["apiVersion"], m["kind"] = ab, kb
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	obj, gvk, err := strictCodecs.UniversalDeserializer().Decode(data, nil, nil)
	if err != nil {
		return nil, err
	}
	if gvk.Kind != tm.Kind {
		return nil, fmt.Errorf("decoded %s, expected %s", gvk.Kind, tm.Kind)
	}
	return obj, nil
}

func decodePod(raw json.RawMessage) (*v1.Pod, error) {
	obj, err := decodeObject(raw, "Pod")
	if err != nil {
		return nil, err
	}
	return obj.(*v1.Pod), nil
}

func decodeNode(raw json.RawMessage) (*v1.Node, error) {
	obj, err := decodeObject(raw, "Node")
	if err != nil {
		return nil, err
	}
	return obj.(*v1.Node), nil
}

func decodeNamespace(raw json.RawMessage) (*v1.Namespace, error) {
	obj, err := decodeObject(raw, "Namespace")
	if err != nil {
		return nil, err
	}
	return obj.(*v1.Namespace), nil
}

// admitter applies what kube-apiserver does to an object on create before the scheduler can see
// it: v1 defaulting; for pods the default-on admission plugins that matter to scheduling, in
// kube-apiserver's order (Priority, DefaultTolerationSeconds, RuntimeClass); the registry
// strategy's PrepareForCreate and validation; then RuntimeClass validation. Status is kept as given
// (controllers and kubelets set it after creation in a real cluster).
type admitter struct {
	priority     *priority.Plugin
	tolerations  *defaulttolerationseconds.Plugin
	runtimeClass *runtimeclass.RuntimeClass
}

// newPodAdmission builds the pod admission plugins on an informer factory (PriorityClasses,
// RuntimeClasses); the caller starts the factory. DefaultTolerationSeconds uses its defaults (300 s
// for the not-ready and unreachable NoExecute taints).
func newPodAdmission(cs kubernetes.Interface, f informers.SharedInformerFactory) (*admitter, error) {
	a := &admitter{priority: priority.NewPlugin(), tolerations: defaulttolerationseconds.NewDefaultTolerationSeconds(), runtimeClass: runtimeclass.NewRuntimeClass()}
	a.priority.SetExternalKubeInformerFactory(f)
	a.priority.SetExternalKubeClientSet(cs)
	a.runtimeClass.SetExternalKubeInformerFactory(f)
	a.runtimeClass.SetExternalKubeClientSet(cs)
	a.tolerations.InspectFeatureGates(utilfeature.DefaultFeatureGate)
	for _, p := range []admission.InitializationValidator{a.priority, a.tolerations, a.runtimeClass} {
		if err := p.ValidateInitialization(); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *admitter) admit(ctx context.Context, obj runtime.Object) (runtime.Object, error) {
	kind := ""
	for k, info := range acceptedKinds {
		if reflect.TypeOf(obj) == reflect.TypeOf(mustNew(info.gvk)) {
			kind = k
			break
		}
	}
	info, ok := acceptedKinds[kind]
	if !ok {
		return nil, fmt.Errorf("unsupported object type %T", obj)
	}
	orig := obj.DeepCopyObject()
	versioned := obj.DeepCopyObject()
	meta, err := metaOf(versioned)
	if err != nil {
		return nil, err
	}
	if info.strategy != nil && info.strategy.NamespaceScoped() && meta.GetNamespace() == "" {
		meta.SetNamespace(metav1.NamespaceDefault)
	}
	legacyscheme.Scheme.Default(versioned)
	internal, err := legacyscheme.Scheme.ConvertToVersion(versioned, schema.GroupVersion{Group: info.gvk.Group, Version: runtime.APIVersionInternal})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", kind, err)
	}
	imeta, err := metaOf(internal)
	if err != nil {
		return nil, err
	}
	name := describeObject(kind, imeta.GetNamespace(), imeta.GetName())
	var podAttrs admission.Attributes
	if pod, ok := internal.(*api.Pod); ok && a.priority != nil {
		podAttrs = admission.NewAttributesRecord(pod, nil, info.gvk, pod.Namespace, pod.Name,
			info.gvk.GroupVersion().WithResource(info.resource), "", admission.Create, &metav1.CreateOptions{}, false, nil)
		// A pod that already carries spec.priority is taken as already admitted by Priority.
		if pod.Spec.Priority == nil {
			if err := a.priority.Admit(ctx, podAttrs, nil); err != nil {
				return nil, fmt.Errorf("%s rejected by the Priority admission plugin: %v", name, err)
			}
		}
		if err := a.tolerations.Admit(ctx, podAttrs, nil); err != nil {
			return nil, fmt.Errorf("%s rejected by the DefaultTolerationSeconds admission plugin: %v", name, err)
		}
		if err := a.runtimeClass.Admit(ctx, podAttrs, nil); err != nil {
			return nil, fmt.Errorf("%s rejected by the RuntimeClass admission plugin: %v", name, err)
		}
	}
	if info.strategy != nil {
		uid := imeta.GetUID()
		rest.FillObjectMetaSystemFields(imeta)
		if uid != "" {
			imeta.SetUID(uid)
		}
		deletion, grace := imeta.GetDeletionTimestamp(), imeta.GetDeletionGracePeriodSeconds()
		prefix := "apis"
		if info.gvk.Group == "" {
			prefix = "api"
		}
		rctx := genericapirequest.WithRequestInfo(genericapirequest.WithNamespace(ctx, imeta.GetNamespace()), &genericapirequest.RequestInfo{
			IsResourceRequest: true, Verb: "create", APIPrefix: prefix, APIGroup: info.gvk.Group, APIVersion: info.gvk.Version,
			Namespace: imeta.GetNamespace(), Resource: info.resource, Name: imeta.GetName(),
		})
		if err := rest.BeforeCreate(info.strategy, rctx, internal); err != nil {
			return nil, fmt.Errorf("%s is invalid: %v", name, err)
		}
		imeta.SetDeletionTimestamp(deletion)
		imeta.SetDeletionGracePeriodSeconds(grace)
	}
	if podAttrs != nil {
		if err := a.runtimeClass.Validate(ctx, podAttrs, nil); err != nil {
			return nil, fmt.Errorf("%s rejected by the RuntimeClass admission plugin: %v", name, err)
		}
	}
	out, err := legacyscheme.Scheme.ConvertToVersion(internal, info.gvk.GroupVersion())
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	// Keep the status as given; a pod keeps the QoS class the apiserver computed if none was given.
	if o, s := reflect.ValueOf(out).Elem().FieldByName("Status"), reflect.ValueOf(orig).Elem().FieldByName("Status"); o.IsValid() && s.IsValid() {
		var qos v1.PodQOSClass
		if p, ok := out.(*v1.Pod); ok {
			qos = p.Status.QOSClass
		}
		o.Set(s)
		if p, ok := out.(*v1.Pod); ok && p.Status.QOSClass == "" {
			p.Status.QOSClass = qos
		}
	}
	out.GetObjectKind().SetGroupVersionKind(schema.GroupVersionKind{})
	return out, nil
}

func mustNew(gvk schema.GroupVersionKind) runtime.Object {
	obj, err := clientgoscheme.Scheme.New(gvk)
	if err != nil {
		panic(err)
	}
	return obj
}

func metaOf(obj runtime.Object) (metav1.Object, error) {
	m, ok := obj.(metav1.Object)
	if !ok {
		return nil, fmt.Errorf("%T has no object metadata", obj)
	}
	return m, nil
}

func describeObject(kind, ns, name string) string {
	if ns == "" {
		return fmt.Sprintf("%s %q", kind, name)
	}
	return fmt.Sprintf("%s %q", kind, ns+"/"+name)
}
