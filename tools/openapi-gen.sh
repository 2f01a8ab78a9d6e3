#!/usr/bin/env bash
# Regenerates src/Timonel.ApiServer/OpenApi/Generated/ (the OpenAPI documents the API server serves and the field
# catalog behind fieldValidation) from the KubernetesClient models and the built-in resource catalog. Run it after
# bumping KubernetesClient or changing ResourceCatalog, and commit the result; GeneratedFilesTests fails until then.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
dotnet run --project "$root/tools/Timonel.OpenApiGen/Timonel.OpenApiGen.csproj" -c Release -- \
  "$root/src/Timonel.ApiServer/OpenApi/Generated"
