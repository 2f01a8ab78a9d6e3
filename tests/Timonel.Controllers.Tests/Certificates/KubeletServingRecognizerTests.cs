using k8s.Models;
using Timonel.Controllers.Certificates;

namespace Timonel.Controllers.Tests.Certificates;

public sealed class KubeletServingRecognizerTests
{
    private readonly Dictionary<string, V1Node> _nodes = new()
    {
        ["n1"] = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n1" },
            Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "192.168.1.10" }, new V1NodeAddress { Type = "Hostname", Address = "n1" }] },
        },
    };

    private KubeletServingRecognizer Recognizer => new(name => _nodes.GetValueOrDefault(name));

    [Theory]
    [InlineData("digital signature,server auth")]
    [InlineData("digital signature,key encipherment,server auth")]
    public void Recognize_NodeAskingForItsOwnAddresses_Approves(string usages)
    {
        var verdict = Recognizer.Recognize(TestCsrs.KubeletServing("csr-1", "n1", ["n1"], ["192.168.1.10"], usages: usages.Split(',')));

        Assert.Equal(KubeletServingVerdict.Outcome.Approve, verdict.Decision);
    }

    [Fact]
    public void Recognize_AddressNotTheNodes_LeftPendingSayingWhich()
    {
        var verdict = Recognizer.Recognize(TestCsrs.KubeletServing("csr-1", "n1", ["n1"], ["192.168.1.10", "10.0.0.1"]));

        Assert.Equal((KubeletServingVerdict.Outcome.LeavePending, "IP address 10.0.0.1 is not an address of node \"n1\""), (verdict.Decision, verdict.Reason));
    }

    [Fact]
    public void Recognize_NameNotTheNodes_LeftPending()
    {
        var verdict = Recognizer.Recognize(TestCsrs.KubeletServing("csr-1", "n1", ["kubernetes.default.svc"], ["192.168.1.10"]));

        Assert.Equal((KubeletServingVerdict.Outcome.LeavePending, "DNS name \"kubernetes.default.svc\" is not an address of node \"n1\""), (verdict.Decision, verdict.Reason));
    }

    [Fact]
    public void Recognize_AnotherNodeAsking_LeftPending()
    {
        var verdict = Recognizer.Recognize(TestCsrs.KubeletServing("csr-1", "n1", ["n1"], ["192.168.1.10"], username: "system:node:n2"));

        Assert.Equal((KubeletServingVerdict.Outcome.LeavePending, "requested by \"system:node:n2\", not by the node \"system:node:n1\" names"), (verdict.Decision, verdict.Reason));
    }

    [Theory]
    [InlineData("digital signature,server auth,client auth", null, "usages did not match [digital signature key encipherment server auth]")]
    [InlineData("digital signature,server auth", "n1@example.com", "Email subjectAltNames are not allowed")]
    public void Recognize_InvalidForTheSigner_LeftPendingWithUpstreamsReason(string usages, string? email, string reason)
    {
        var verdict = Recognizer.Recognize(TestCsrs.KubeletServing("csr-1", "n1", ["n1"], ["192.168.1.10"], usages: usages.Split(','), email: email));

        Assert.Equal((KubeletServingVerdict.Outcome.LeavePending, reason), (verdict.Decision, verdict.Reason));
    }

    [Fact]
    public void Recognize_NodeNotRegisteredYet_Waits()
    {
        var verdict = Recognizer.Recognize(TestCsrs.KubeletServing("csr-1", "n3", ["n3"], ["192.168.1.30"]));

        Assert.Equal(KubeletServingVerdict.Outcome.WaitForNode, verdict.Decision);
    }
}
