namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Bad values of Go struct, slice and map types print as Kubernetes 1.32 prints them: Go's %#v.</summary>
public sealed class GoValueMessageTests
{
    public static TheoryData<string, string, string> InvalidObjects() => new()
    {
        {
            "", "kind: Service\nmetadata: {name: s}\nspec: {ports: [{name: a, port: 80}, {name: b, port: 80}]}",
            "Service \"s\" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
        },
        {
            "", "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}], tolerations: [{key: k, operator: Exists, value: v, effect: NoSchedule}]}",
            "Pod \"p\" is invalid: spec.tolerations[0].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", Effect:\"NoSchedule\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'"
        },
        {
            "apps", "kind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: {app: a}}, strategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: nginx}]}}}",
            "Deployment.apps \"d\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"
        },
        {
            "apps", "kind: StatefulSet\nmetadata: {name: s}\nspec: {selector: {matchLabels: {app: a}}, updateStrategy: {type: OnDelete, rollingUpdate: {partition: 2}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: nginx}]}}}",
            "StatefulSet.apps \"s\" is invalid: spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"
        },
        {
            "", "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}], securityContext: {seccompProfile: {type: RuntimeDefault, localhostProfile: x.json}}}",
            "Pod \"p\" is invalid: spec.securityContext.seccompProfile.localhostProfile: Invalid value: core.SeccompProfile{Type:\"RuntimeDefault\", LocalhostProfile:(*string)(0xc000000000)}: can only be set when seccomp type is Localhost"
        },
        {
            "networking.k8s.io", "kind: Ingress\nmetadata: {name: i}\nspec: {}",
            "Ingress.networking.k8s.io \"i\" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"
        },
        {
            "networking.k8s.io", "kind: Ingress\nmetadata: {name: i}\nspec: {rules: []}",
            "Ingress.networking.k8s.io \"i\" is invalid: spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidObjects))]
    public void Validate_ComplexBadValue_PrintedAsGoDoes(string group, string yaml, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage(group, yaml));
}
