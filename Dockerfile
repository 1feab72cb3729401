# syntax=docker/dockerfile:1
#
# lbplan in a container, two images from one file:
#
#   docker build -t lbplan .                    # the static binary on a minimal base (default)
#   docker build -t lbplan:render --target render .   # the same binary with kubectl, helm and git
#
# The default image holds lbplan alone (no shell, no renderer): it lints and plans manifests; a
# repository with Kustomize overlays needs `--no-render` there (without a renderer an overlay is an
# error, exit code 2, never silently read raw). The render image adds
# kubectl (with its built-in Kustomize), helm and git, for Kustomize overlays, Helm charts and
# `lbplan diff --base-rev`. Both run as a non-root user; mount the repository at /work:
#
#   docker run --rm -v "$PWD:/work" lbplan lint .

# --- build: a static (musl) binary, built where the image is built --------------------------------
FROM rust:1-alpine AS build
# Alpine keeps only the current build of a package, so apk versions are not pinned (DL3018): the
# base image's tag fixes the Alpine release.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
# Declared in Cargo.toml, so they must be there for the manifest to load; not built.
COPY benches ./benches
COPY tests/common ./tests/common
# The rule pages that `lbplan explain` and SARIF link to, when the release sets their address.
ARG LBPLAN_DOCS_URL
ENV LBPLAN_DOCS_URL=${LBPLAN_DOCS_URL}
RUN cargo build --release --locked --bin lbplan \
    && cp target/release/lbplan /lbplan \
    && /lbplan --version

# --- render: lbplan with kubectl, helm and git ------------------------------------------------------
FROM alpine:3.22 AS render
ARG TARGETARCH
# Pinned releases, checked against the checksums their publishers post beside them.
ARG KUBECTL_VERSION=v1.32.4
ARG HELM_VERSION=v3.17.3
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
# hadolint ignore=DL3018
RUN apk add --no-cache ca-certificates git \
    && apk add --no-cache --virtual .fetch curl \
    && arch="${TARGETARCH:-amd64}" \
    && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${arch}/kubectl" \
    && echo "$(curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${arch}/kubectl.sha256")  /usr/local/bin/kubectl" | sha256sum -c - \
    && chmod 0755 /usr/local/bin/kubectl \
    && curl -fsSLo /tmp/helm.tgz "https://get.helm.sh/helm-${HELM_VERSION}-linux-${arch}.tar.gz" \
    && echo "$(curl -fsSL "https://get.helm.sh/helm-${HELM_VERSION}-linux-${arch}.tar.gz.sha256sum" | cut -d' ' -f1)  /tmp/helm.tgz" | sha256sum -c - \
    && tar -xzf /tmp/helm.tgz -C /usr/local/bin --strip-components=1 "linux-${arch}/helm" \
    && rm /tmp/helm.tgz \
    && apk del .fetch \
    && adduser -D -u 65532 lbplan
COPY --from=build /lbplan /usr/local/bin/lbplan
USER 65532
WORKDIR /work
ENTRYPOINT ["lbplan"]
CMD ["--help"]

# --- default: the static binary alone ---------------------------------------------------------------
# distroless/static: no shell or package manager, but /tmp (lbplan's temporary folders for a
# render wrapper and a git revision), CA certificates and a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot AS lbplan
COPY --from=build /lbplan /usr/local/bin/lbplan
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/lbplan"]
CMD ["--help"]
