# syntax=docker/dockerfile:1
# Multi-stage build: a static acremu binary on an empty base, run as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/acremu ./cmd/acremu \
 && mkdir -p /out/data && chown 65532:65532 /out/data

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/acremu /acremu
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV ACREMU_ADDR=0.0.0.0:5000 ACREMU_DATA_DIR=/data
EXPOSE 5000
VOLUME ["/data"]
ENTRYPOINT ["/acremu"]
CMD ["serve"]
