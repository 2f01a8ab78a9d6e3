using System.Text;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Tests.Watch;

public sealed class CachedEventTests
{
    [Theory]
    [InlineData("ADDED", "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}", "{\"metadata\":{\"resourceVersion\":\"42\",\"name\":\"a\"},\"data\":{\"k\":\"v\"}}")]
    [InlineData("MODIFIED", "{\"kind\":\"ConfigMap\",\"metadata\":{}}", "{\"kind\":\"ConfigMap\",\"metadata\":{\"resourceVersion\":\"42\"}}")]
    [InlineData("DELETED", "{}", "{\"metadata\":{\"resourceVersion\":\"42\"}}")]
    public void FrameAndObjectJson_StoredObject_ServeTheObjectWithItsRevisionInTheEventEnvelope(string type, string stored, string served)
    {
        var change = new CachedEvent(type, "/registry/configmaps/default/a", 42, Encoding.UTF8.GetBytes(stored));

        Assert.Equal($"{{\"type\":\"{type}\",\"object\":{served}}}\n", Encoding.UTF8.GetString(change.Frame));
        Assert.Equal(served, Encoding.UTF8.GetString(change.ObjectJson));
        Assert.Equal("42", change.DecodeObject()["metadata"]!["resourceVersion"]!.GetValue<string>());
    }
}
