# The console, the GUI and the wire protocol build on Windows (MSVC): POSIX-only headers are
# allowed only in the seams made for them, the files named *_posix.cpp (their *_win.cpp twin
# is the Windows side). No Windows compiler runs here, so this check stands in for one.
#   cmake -DSOURCE_DIR=<repo> -P posix_includes.cmake
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repo> -P posix_includes.cmake")
endif()
set(_posix_headers
    "unistd\\.h" "sys/[a-z_/]+\\.h" "poll\\.h" "arpa/[a-z_]+\\.h" "netinet/[a-z_]+\\.h" "netdb\\.h"
    "pwd\\.h" "grp\\.h" "termios\\.h" "fcntl\\.h" "dlfcn\\.h" "dirent\\.h" "syslog\\.h" "signal\\.h"
    "pthread\\.h" "semaphore\\.h" "spawn\\.h" "systemd/[a-z_-]+\\.h" "libgen\\.h" "ifaddrs\\.h"
    "net/if\\.h" "linux/[a-z_/]+\\.h")
list(JOIN _posix_headers "|" _alt)
set(_re "#[ \t]*include[ \t]*<(${_alt})>")
file(GLOB_RECURSE _files
    ${SOURCE_DIR}/console/*.cpp ${SOURCE_DIR}/console/*.h
    ${SOURCE_DIR}/ui/*.cpp ${SOURCE_DIR}/ui/*.h
    ${SOURCE_DIR}/agent/protocol/*.cpp ${SOURCE_DIR}/agent/protocol/*.h)
set(_bad)
foreach(_f IN LISTS _files)
    get_filename_component(_name ${_f} NAME)
    if(_name MATCHES "_posix\\.(cpp|h)$")
        continue()
    endif()
    file(STRINGS ${_f} _lines REGEX "${_re}")
    foreach(_l IN LISTS _lines)
        file(RELATIVE_PATH _rel ${SOURCE_DIR} ${_f})
        string(STRIP "${_l}" _l)
        list(APPEND _bad "${_rel}: ${_l}")
    endforeach()
endforeach()
list(LENGTH _files _n)
if(_bad)
    list(JOIN _bad "\n  " _msg)
    message(FATAL_ERROR "POSIX-only headers outside the *_posix.cpp seams (the Windows console "
                        "would not build):\n  ${_msg}")
endif()
message(STATUS "${_n} console, GUI and protocol files: no POSIX-only header outside the seams")
