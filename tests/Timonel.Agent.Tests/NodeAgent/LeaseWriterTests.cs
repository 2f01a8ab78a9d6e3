using System.Text.Json.Nodes;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Tests.NodeAgent;

public sealed class LeaseWriterTests
{
    [Fact]
    public void Body_Renewal_TheWholeLeaseWithOwnerAndMicroTime()
    {
        var body = LeaseWriter.Body(new LeaseRenewal("sim-7", "uid-7", "42", new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero)));

        var lease = JsonNode.Parse(body)!;
        Assert.Equal("kube-node-lease", (string?)lease["metadata"]!["namespace"]);
        Assert.Equal("42", (string?)lease["metadata"]!["resourceVersion"]);
        Assert.Equal("uid-7", (string?)lease["metadata"]!["ownerReferences"]![0]!["uid"]);
        Assert.Equal("sim-7", (string?)lease["spec"]!["holderIdentity"]);
        Assert.Equal(40, (int?)lease["spec"]!["leaseDurationSeconds"]);
        Assert.Equal("2026-01-02T03:04:05.678000Z", (string?)lease["spec"]!["renewTime"]);
    }

    [Theory]
    [InlineData("""{"kind":"Lease","spec":{"resourceVersion":"no"},"metadata":{"name":"a","managedFields":[{"resourceVersion":"no"}],"resourceVersion":"77"}}""", "77")]
    [InlineData("""{"metadata":{"name":"a"}}""", null)]
    public void ResourceVersion_Object_TheMetadataOne(string json, string? expected) =>
        Assert.Equal(expected, LeaseWriter.ResourceVersion(System.Text.Encoding.UTF8.GetBytes(json)));
}
