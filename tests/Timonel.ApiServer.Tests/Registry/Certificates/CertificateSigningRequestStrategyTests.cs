using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Certificates;

/// <summary>CertificateSigningRequests: ValidateCertificateSigningRequestCreate and printCertificateSigningRequest.</summary>
public sealed class CertificateSigningRequestStrategyTests
{
    private static readonly string _request = CreateRequest();

    public static TheoryData<string, string?> Specs() => new()
    {
        { "{signerName: example.com/signer, usages: [client auth]}", null },
        { "{signerName: example.com/signer, usages: [], expirationSeconds: 60}",
            "CertificateSigningRequest.certificates.k8s.io \"csr\" is invalid: [spec.usages: Required value: usages must be provided, spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)]" },
        { "{signerName: example.com/signer, usages: [client auth, flying, client auth]}",
            "CertificateSigningRequest.certificates.k8s.io \"csr\" is invalid: [spec.usages[1]: Unsupported value: \"flying\": supported values: \"any\", \"cert sign\", \"client auth\", \"code signing\", \"content commitment\", \"crl sign\", \"data encipherment\", \"decipher only\", \"digital signature\", \"email protection\", \"encipher only\", \"ipsec end system\", \"ipsec tunnel\", \"ipsec user\", \"key agreement\", \"key encipherment\", \"microsoft sgc\", \"netscape sgc\", \"ocsp signing\", \"s/mime\", \"server auth\", \"signing\", \"timestamping\", spec.usages[2]: Duplicate value: \"client auth\"]" },
        { "{usages: [client auth]}", "CertificateSigningRequest.certificates.k8s.io \"csr\" is invalid: spec.signerName: Required value" },
        { "{signerName: signer, usages: [client auth]}",
            "CertificateSigningRequest.certificates.k8s.io \"csr\" is invalid: spec.signerName: Invalid value: \"signer\": must be a fully qualified domain and path of the form 'example.com/signer-name'" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Validate_CertificateSigningRequest_AnswersUpstreamMessage(string spec, string? expected)
    {
        var csr = Examples.Parse("{apiVersion: certificates.k8s.io/v1, kind: CertificateSigningRequest, metadata: {name: csr}, spec: " + spec + "}");
        csr["spec"]!["request"] = _request;

        Assert.Equal(expected, ValidationSteps.CreateMessage("certificates.k8s.io", csr));
    }

    [Fact]
    public void Validate_RequestThatIsNotPem_IsInvalidAtSpecRequest()
    {
        var message = ValidationSteps.CreateMessage("certificates.k8s.io", "{apiVersion: certificates.k8s.io/v1, kind: CertificateSigningRequest, metadata: {name: csr}, spec: {request: aGVsbG8=, signerName: example.com/s, usages: [any]}}");

        Assert.StartsWith("CertificateSigningRequest.certificates.k8s.io \"csr\" is invalid: spec.request: Invalid value: ", message, StringComparison.Ordinal);
        Assert.EndsWith(": PEM block type must be CERTIFICATE REQUEST", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "", "Pending")]
    [InlineData("[{type: Approved, status: 'True'}]", "", "Approved")]
    [InlineData("[{type: Approved, status: 'True'}]", "Y2VydA==", "Approved,Issued")]
    [InlineData("[{type: Approved, status: 'True'}, {type: Denied, status: 'True'}, {type: Failed, status: 'True'}]", "", "Denied,Failed")]
    public void Columns_Condition_AsKubectlGetCsr(string conditions, string certificate, string expected)
    {
        var csr = Examples.Parse("{apiVersion: certificates.k8s.io/v1, kind: CertificateSigningRequest, metadata: {name: csr, creationTimestamp: '2026-01-02T03:04:05Z'}, spec: {signerName: kubernetes.io/kube-apiserver-client, username: alice, expirationSeconds: 86400}}");
        csr["status"] = new JsonObject { ["conditions"] = Examples.Parse("{c: " + conditions + "}")["c"]!.DeepClone(), ["certificate"] = certificate };

        Assert.Equal(["csr", "0s", "kubernetes.io/kube-apiserver-client", "alice", "24h", expected], StoreSteps.Cells("certificates.k8s.io", "CertificateSigningRequest", csr, new TableContext(StoreSteps.Created)));
    }

    private static string CreateRequest()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = new CertificateRequest("CN=alice", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        return Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
    }
}
