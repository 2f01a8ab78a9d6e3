namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Pod spec security contexts, affinity and topology spread constraints, with the messages a 1.32 API server answers.</summary>
public sealed class PodSchedulingValidationTests
{
    private const string Containers = "containers: [{name: c, image: a}]";
    private const string QualifiedName = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    public static TheoryData<string, string> InvalidSpecs() => new()
    {
        // Security contexts.
        { "{securityContext: {runAsUser: -1}, " + Containers + "}", "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive" },
        { "{securityContext: {fsGroup: 2147483648}, " + Containers + "}", "spec.securityContext.fsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive" },
        { "{securityContext: {supplementalGroups: [1, -2]}, " + Containers + "}", "spec.securityContext.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive" },
        { "{hostPID: true, shareProcessNamespace: true, " + Containers + "}", "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled" },
        { "{securityContext: {sysctls: [{name: 'Net.Core', value: '1'}]}, " + Containers + "}", "spec.securityContext.sysctls[0].name: Invalid value: \"Net.Core\": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$" },
        { "{securityContext: {seccompProfile: {type: Custom}}, " + Containers + "}", "spec.securityContext.seccompProfile.type: Unsupported value: \"Custom\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"" },
        { "{securityContext: {seccompProfile: {type: Localhost}}, " + Containers + "}", "spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost" },
        { "{containers: [{name: c, image: a, securityContext: {runAsGroup: -5}}]}", "spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive" },
        { "{containers: [{name: c, image: a, securityContext: {procMount: Masked}}]}", "spec.containers[0].securityContext.procMount: Unsupported value: \"Masked\": supported values: \"Default\", \"Unmasked\"" },
        { "{containers: [{name: c, image: a, securityContext: {privileged: true, allowPrivilegeEscalation: false}}]}", "spec.containers[0].securityContext: Invalid value: core.SecurityContext{Capabilities:(*core.Capabilities)(nil), Privileged:(*bool)(0xc000000000), SELinuxOptions:(*core.SELinuxOptions)(nil), WindowsOptions:(*core.WindowsSecurityContextOptions)(nil), RunAsUser:(*int64)(nil), RunAsGroup:(*int64)(nil), RunAsNonRoot:(*bool)(nil), ReadOnlyRootFilesystem:(*bool)(nil), AllowPrivilegeEscalation:(*bool)(0xc000000000), ProcMount:(*core.ProcMountType)(nil), SeccompProfile:(*core.SeccompProfile)(nil), AppArmorProfile:(*core.AppArmorProfile)(nil)}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true" },
        // Affinity.
        { "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}, " + Containers + "}", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term" },
        { "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: Near, values: [a]}]}]}}}, " + Containers + "}", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator" },
        { "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: ['1', '2']}]}]}}}, " + Containers + "}", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'" },
        { "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: spec.nodeName, operator: In, values: [n]}]}]}}}, " + Containers + "}", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: \"spec.nodeName\": not a valid field selector key" },
        { "{affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 0, preference: {}}]}}, " + Containers + "}", "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100" },
        { "{affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: a}}}]}}, " + Containers + "}", "[spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty, spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty, spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": " + QualifiedName + "]" },
        { "{affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 101, podAffinityTerm: {topologyKey: zone}}]}}, " + Containers + "}", "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100" },
        // Topology spread constraints.
        { "{topologySpreadConstraints: [{maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}], " + Containers + "}", "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero" },
        { "{topologySpreadConstraints: [{maxSkew: 1, whenUnsatisfiable: DoNotSchedule}], " + Containers + "}", "spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty" },
        { "{topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: Maybe}], " + Containers + "}", "spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Maybe\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"" },
        { "{topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}, {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}], " + Containers + "}", "spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, DoNotSchedule}\"" },
        { "{topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}], " + Containers + "}", "spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway" },
        { "{topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [app]}], " + Containers + "}", "spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Validate_InvalidPodSpec_AnswersUpstreamMessage(string spec, string expected) =>
        Assert.Equal("Pod \"x\" is invalid: " + expected, ValidationSteps.CreateMessage("", "kind: Pod\nmetadata: {name: x}\nspec: " + spec));

    [Fact]
    public void Validate_DeploymentTemplateAffinity_UsesTemplatePath() =>
        Assert.Equal(
            "Deployment.apps \"d\" is invalid: spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"a b\": " + QualifiedName,
            ValidationSteps.CreateMessage("apps", "kind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: 'a b'}]}}\n      " + Containers));

    [Fact]
    public void Validate_FullySpecifiedScheduling_IsAccepted() =>
        Assert.Null(ValidationSteps.CreateMessage("", """
            kind: Pod
            metadata: {name: x, labels: {app: a}}
            spec:
              hostPID: false
              securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}, sysctls: [{name: net.ipv4.ip_local_port_range, value: '1024 65535'}]}
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]}]}
                  preferredDuringSchedulingIgnoredDuringExecution: [{weight: 10, preference: {matchExpressions: [{key: cores, operator: Gt, values: ['4']}]}}]
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: a}}}}]
              topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: a}}, matchLabelKeys: [pod-template-hash]}]
              containers: [{name: c, image: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}}]
            """));
}
