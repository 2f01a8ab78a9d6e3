using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class StatusExceptionTests
{
    public static TheoryData<RequestAttributes, string> Denials => new()
    {
        { new RequestAttributes("list", "", "pods", null, "default", null, "/api/v1/namespaces/default/pods"), "pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { new RequestAttributes("get", "", "pods", "log", "default", "web", "/api/v1/namespaces/default/pods/web/log"), "pods \"web\" is forbidden: User \"bob\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"default\"" },
        { new RequestAttributes("delete", "apps", "deployments", null, null, null, "/apis/apps/v1/deployments"), "deployments.apps is forbidden: User \"bob\" cannot delete resource \"deployments\" in API group \"apps\" at the cluster scope" },
        { RequestAttributes.NonResource("get", "/metrics"), "forbidden: User \"bob\" cannot get path \"/metrics\"" },
    };

    [Theory]
    [MemberData(nameof(Denials))]
    public void Forbidden_Attributes_WordedAsUpstream(RequestAttributes request, string message)
    {
        var error = StatusException.Forbidden(request, "bob", "");

        Assert.Equal((403, "Forbidden", message), (error.Code, error.Reason, error.Message));
    }
}
