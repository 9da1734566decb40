# BlazorForecast web app. Build:   docker build -t blazorforecast .
#                          GPU:     docker build --build-arg TORCH_BACKEND=cuda -t blazorforecast:cuda .
# Run:  docker run -p 8080:8080 -v blazorforecast-data:/data blazorforecast   (add --gpus all for the cuda image)
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
# cpu (default) or cuda: which libtorch runtime package the engine references (see Directory.Build.props).
ARG TORCH_BACKEND=cpu
WORKDIR /src

# Restore first, from the project files alone, so the package layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/BlazorForecast.Forecasting/BlazorForecast.Forecasting.csproj src/BlazorForecast.Forecasting/
COPY src/BlazorForecast.Web/BlazorForecast.Web.csproj src/BlazorForecast.Web/
RUN dotnet restore src/BlazorForecast.Web/BlazorForecast.Web.csproj -p:TorchBackend=${TORCH_BACKEND}

COPY wwwroot-assets/ wwwroot-assets/
COPY src/ src/
RUN dotnet publish src/BlazorForecast.Web/BlazorForecast.Web.csproj -c Release -o /app --no-restore \
    -p:TorchBackend=${TORCH_BACKEND}

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build /app .

ENV ASPNETCORE_URLS=http://+:8080 \
    BlazorForecast__DataDirectory=/data
# The image's non-root user (UID 1654) owns the data folder: the SQLite file and upload staging live there.
USER app
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "BlazorForecast.Web.dll"]
