/// Every allocation of a run goes through mimalloc. The YAML parser allocates and frees every
/// scalar of every document, on two threads: glibc's malloc took a fifth of a corpus lint, and
/// musl's (the static Linux binaries the releases and the GitHub Action ship) made the same lint
/// 2.3 to 4.5 times slower than the glibc build (docs/performance.md has the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lbplan::main().into()
}

/// Transparent huge pages off for this process, before its first allocation. mimalloc asks for
/// them on its 1 GiB arena, and on a system whose THP setting is `always` the kernel gives them
/// unasked: each first touch of one then zeroes 2 MiB, which made linting one small file (the
/// pre-commit case) 0.2 to 0.3 ms slower. The setting is inherited by the renderers and git that
/// lbplan starts; a Kustomize render measured the same with it.
///
/// It runs as a load-time constructor (as the `ctor` crate's do): Rust's runtime allocates before
/// `main`, and mimalloc's arena would be touched by then.
#[cfg(target_os = "linux")]
#[unsafe(link_section = ".init_array")]
#[used]
static NO_HUGE_PAGES: extern "C" fn() = no_huge_pages;

#[cfg(target_os = "linux")]
extern "C" fn no_huge_pages() {
    // SAFETY: prctl(2) with PR_SET_THP_DISABLE reads only its integer arguments and sets a flag of
    // this process's memory. Its result needs no check: a kernel that refuses it only costs speed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
